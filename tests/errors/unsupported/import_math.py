# expect: unsupported
# from-imports of other modules are outside the subset.
from math import sqrt

print(sqrt(2.0))
