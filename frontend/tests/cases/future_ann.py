"""Doc."""
from __future__ import annotations

import typing
from dataclasses import dataclass


@dataclass
class P:
    x: int
    y: list[dict[str, int | None]] = None
    z: "typing.Optional[P]" = None
    w: tuple[int, ...] = ()
    v: typing.Callable[[int, str], bool] | None = None


def f(a: int, *args: str, b: float = 1.5, **kw: 'X') -> dict[str, list[int]]:
    q: set[int] = set()
    return {}


def g(x: -1 | 2.5e-7 | 1e100 | "it's" | b"by\x00" | (a, b) | [a] | a[1:2, ::3] | f(x, *y, k=1) | ~a | (not b)) -> None:
    pass


def outer():
    T = int

    def inner(a: T) -> T:
        return a
    return inner
