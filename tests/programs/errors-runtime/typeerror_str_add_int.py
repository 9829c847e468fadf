# TypeError from "a" + 1 (str concatenation with an int).
s = "count: "
n = 5
print(s + str(n))
print(s + n)
