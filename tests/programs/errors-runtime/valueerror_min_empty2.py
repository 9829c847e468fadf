# ValueError from min([]).
data = []
print("data:", data)
print(min(data))
