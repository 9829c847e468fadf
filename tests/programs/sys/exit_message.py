# sys.exit("message"): the message goes to stderr, status is 1.
import sys

print("about to fail")
sys.exit("fatal: something went wrong")
print("never printed")
