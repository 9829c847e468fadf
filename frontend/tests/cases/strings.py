name = "world"
n = 3
print(f"hello {name}!")
print(f"{n:>5}|{n!r}|{name!s:10}|{n!a}")
print(f"{n + 1}")
print(f"{name}")
print(f"plain")
print(f"{{}} {n:{n}}")
print("%s and %r" % (name, n))
print("%d" % n)
print("%-5s|%3.2s" % (name, name))
s = "a" "b" 'c'
b = b"x" b"y"
t = """triple
quoted"""
x = f"a{n}b" f"c{n}"
