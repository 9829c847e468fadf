# sys.exit(False): False is the int 0, so the status is 0.
import sys

print("exit False")
sys.exit(False)
