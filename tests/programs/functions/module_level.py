# module-level code interleaved with function definitions; functions read
# module globals at call time; a def can be redefined.
print("start")
scale = 2


def scaled(x):
    return x * scale


print(scaled(5))
scale = 10
print(scaled(5))


def greet():
    return "hello"


print(greet())


def greet():
    return "hello again"


print(greet())
alias = scaled
print(alias(3), alias is scaled)
results = []
for i in range(3):
    results.append(scaled(i))
print(results)
print("end")
