# NameError: a module-level name used before the statement that assigns it.
print("first line")
print(value)
value = 1
