# sys.exit(True): True is the int 1, so the status is 1 and nothing is
# printed to stderr.
import sys

print("exit True")
sys.exit(True)
