# UnboundLocalError: a local assigned only on a branch that did not run.
def pick(flag):
    if flag:
        result = "yes"
    return result


print(pick(True))
print(pick(False))
