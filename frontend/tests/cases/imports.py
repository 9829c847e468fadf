import os
import os.path
import os.path as osp
import sys as system, math
from os import path, sep as separator
from os.path import *
from . import x
from .. import y
from .mod import z
print(os.getcwd(), math.pi, osp.join("a", "b"), system.argv)


def f():
    import json
    from collections import OrderedDict as OD
    return json.dumps(OD())
