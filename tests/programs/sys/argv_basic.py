# args: hello 42 -7 日本 3.5
# sys.argv holds the command-line arguments as strings (argv[0], the program
# path, differs between python3 and a native binary, so it is not printed).
import sys

print(len(sys.argv))
i = 1
while i < len(sys.argv):
    print(i, sys.argv[i], repr(sys.argv[i]), len(sys.argv[i]))
    i += 1
print(int(sys.argv[2]) + int(sys.argv[3]), float(sys.argv[5]) * 2, sys.argv[1] + sys.argv[4])
print(sys.argv[-1], sys.argv[1] == "hello", "42" in sys.argv)
