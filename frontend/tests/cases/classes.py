class A:
    "A class."
    x = 1

    def __init__(self, v):
        self.v = v
        self.__p = 2

    def get(self):
        return self.v + self.__p

    @staticmethod
    def s():
        return 1

    @property
    def prop(self):
        return self.v


class B(A):
    def __init__(self, v):
        super().__init__(v)

    def get(self):
        return super().get() + __class__.x


class C(A, metaclass=type):
    y: int = 3


class Empty:
    pass


def factory():
    class Local:
        def m(self):
            return Local
    return Local


b = B(3)
print(b.get(), A.s(), b.prop)
b.v = 5
del b.v
