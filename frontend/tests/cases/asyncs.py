import asyncio


async def fetch(x):
    await asyncio.sleep(0)
    return x * 2


async def agen(n):
    for i in range(n):
        yield i
        await asyncio.sleep(0)


async def main():
    r = await fetch(3)
    async with Lock() as l, Lock():
        r += 1
    async for v in agen(3):
        if v:
            continue
        r += v
    else:
        r -= 1
    async with Lock():
        return r
    async for q in agen(2):
        break


class Lock:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *a):
        return False


asyncio.run(main())


async def comps(src):
    a = [x async for x in agen(3)]
    b = {x: y async for x in agen(2) async for y in agen(x) if y}
    c = (x * 2 async for x in agen(4))
    d = [await fetch(x) for x in range(3)]
    e = {await fetch(x) for x in [1, 2] if x}
    f = [y for x in range(2) async for y in agen(x)]
    return a, b, c, d, e, f


g = (await_me async for await_me in src_iter())
