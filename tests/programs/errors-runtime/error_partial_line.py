# a partial line written with end="" is still flushed before the traceback.
print("no newline here", end="")
print(" ...", end="")
x = [1][5]
