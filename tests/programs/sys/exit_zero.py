# sys.exit(0): status 0.
import sys

for i in range(3):
    print("line", i)
sys.exit(0)
print("never printed")
