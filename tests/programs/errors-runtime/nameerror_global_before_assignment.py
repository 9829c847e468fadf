# NameError: a function reads a global that is only assigned after the call.
def show():
    print("later is", later)


print("calling show")
show()
later = 5
