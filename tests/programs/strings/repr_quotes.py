# repr() chooses the quote character: single quotes unless the text
# contains a single quote and no double quote.
print(repr("plain"))
print(repr("it's"))
print(repr('say "hi"'))
print(repr("both ' and \""))
print(repr(""))
print(repr("'"), repr('"'), repr("'\""), repr("\\'"))
print(repr("it's \"x\""))
print(repr("tab\there"), repr("cr\rlf\n"))
print(str("it's"), str('say "hi"'))
print(["it's", 'say "hi"', "a\nb", ""])
