def describe(x):
    match x:
        case 0 | 1:
            return "small"
        case -1:
            return "minus one"
        case None:
            return "none"
        case True:
            return "true"
        case [a, b]:
            return f"pair {a} {b}"
        case [first, *rest]:
            return f"seq {first} {rest}"
        case [_, _, *_]:
            return "long"
        case (1, 2, *others, 9):
            return others
        case {"k": v, **kw}:
            return v, kw
        case {"a": 1}:
            return "a1"
        case {}:
            return "mapping"
        case Point(x=0, y=yy) if yy > 0:
            return yy
        case Point(1, 2):
            return "p12"
        case str() as s:
            return s
        case [x, y] | (y, x, 0):
            return x + y
        case 3.5 | 2j:
            return "num"
        case Color.RED:
            return "red"
        case _:
            return "other"


def simple(cmd):
    match cmd.split():
        case ["go", direction]:
            print(direction)
        case ["quit"]:
            return
    match cmd:
        case x:
            print(x)


def defaults(v):
    match v:
        case [*_]:
            pass
        case _ if v:
            print(v)
