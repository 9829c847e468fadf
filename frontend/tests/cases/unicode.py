s = "héllo wörld"
print(s, len(s))
π = 3.14159
print("π ≈", π)
x = "日本語"; y = x + "テキスト"
print(y.upper())
