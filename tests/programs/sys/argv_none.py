# without arguments sys.argv has just the program name.
import sys

print(len(sys.argv))
if len(sys.argv) > 1:
    print("unexpected argument", sys.argv[1])
else:
    print("no arguments")
