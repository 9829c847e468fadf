# sys.exit(256): the process status is taken modulo 256, so it is 0.
import sys

print("exit 256")
sys.exit(256)
