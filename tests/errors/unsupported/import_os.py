# expect: unsupported
# only `import sys` is in the subset; other modules are refused.
import os

print(os.sep)
