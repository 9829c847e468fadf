# lots of buffered output must all be written before sys.exit(2).
import sys

for i in range(2000):
    print("row", i, i * i, "x" * (i % 17))
sys.exit(2)
