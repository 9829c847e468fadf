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
