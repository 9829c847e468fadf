# sys.exit(3): status 3, stdout before it is kept.
import sys

print("exiting with 3")
sys.exit(3)
print("never printed")
