def f(*a, **k):
    return a, k


args = [1, 2]
kw = {"x": 1}
f(*args)
f(1, *args)
f(*args, *args)
f(**kw)
f(a=1, **kw)
f(**kw, b=2)
f(1, 2, a=3, b=4)
f(*args, a=1)
f(1, *args, 2, a=1, **kw, b=2)
f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32)
f(a1=1, a2=2, a3=3, a4=4, a5=5, a6=6, a7=7, a8=8, a9=9, a10=10, a11=11, a12=12, a13=13, a14=14, a15=15, a16=16)
obj = [1]
obj.append(2)
obj.extend([3, 4])
obj.count(x=1)
print(obj.index(2), len(obj), obj[0].bit_length())
s = "a,b"
print(s.split(",")[0].upper())
print(
    s.replace(
        "a", "b"
    )
)
x = (obj
     .copy()
     .pop())
f(*args)(1)
(lambda q: q)(3)
