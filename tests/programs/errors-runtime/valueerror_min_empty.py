# ValueError from min([]) (empty sequence).
print(min([3, 2]))
print(max([]))
