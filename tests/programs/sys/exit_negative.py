# sys.exit(-1): the process status is taken modulo 256, so it is 255.
import sys

print("exit -1")
sys.exit(-1)
