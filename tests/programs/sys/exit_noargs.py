# sys.exit() exits with status 0; output printed before it appears, and
# nothing after it runs.
import sys

print("before exit")
print("partial line without newline", end="")
sys.exit()
print("never printed")
