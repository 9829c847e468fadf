# sys.exit(None): status 0.
import sys

print("exit None")
sys.exit(None)
