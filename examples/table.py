# table.py - a text table of powers, built from strings and lists.
# Usage: pyaot run examples/table.py [-- ROWS]     (default ROWS = 12)
import sys


def pad(text, width):
    return " " * (width - len(text)) + text


def format_row(cells, widths):
    line = "|"
    for i in range(len(cells)):
        line = line + " " + pad(cells[i], widths[i]) + " |"
    return line


rows = 12
if len(sys.argv) > 1:
    rows = int(sys.argv[1])

header = ["n", "n**2", "2**n", "n**n", "1/n"]
table = [header]
for n in range(1, rows + 1):
    table.append([str(n), str(n * n), str(2 ** n), str(n ** n), repr(1 / n)])

widths = [0] * len(header)
for row in table:
    for i in range(len(row)):
        widths[i] = max(widths[i], len(row[i]))

rule = "+"
for width in widths:
    rule = rule + "-" * (width + 2) + "+"
print(rule)
print(format_row(header, widths))
print(rule)
for row in table:
    if row is not header:
        print(format_row(row, widths))
print(rule)
