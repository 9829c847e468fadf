# if / elif / else chains over ints, strings and mixed truthiness.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    elif n < 2 ** 64:
        return "medium"
    else:
        return "huge"


for v in [-5, 0, 3, 10, 2 ** 63, 2 ** 64, -(2 ** 64)]:
    print(v, classify(v))
x = 7
if x % 2:
    print("odd")
if not x % 2:
    print("even")
else:
    print("not even")
if x > 5:
    if x > 6:
        print("greater than 6")
    else:
        print("6")
if "":
    print("empty is true?")
elif []:
    print("empty list is true?")
elif 0.0:
    print("zero float is true?")
else:
    print("all falsy")
