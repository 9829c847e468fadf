# a toy compiler and stack machine: tokenize arithmetic expressions, parse
# them by recursive descent into stack code, run the code with big ints.
DIGITS = "0123456789"
PUSH = 0
ADD = 1
SUB = 2
MUL = 3
DIV = 4
MOD = 5
POW = 6
NEG = 7
NAMES = ["PUSH", "ADD", "SUB", "MUL", "DIV", "MOD", "POW", "NEG"]


def digit_value(ch):
    for d in range(10):
        if DIGITS[d] == ch:
            return d
    return -1


def tokenize(text):
    tokens = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            i += 1
        elif digit_value(ch) >= 0:
            n = 0
            while i < len(text) and digit_value(text[i]) >= 0:
                n = n * 10 + digit_value(text[i])
                i += 1
            tokens.append(["num", n])
        elif ch == "*" and i + 1 < len(text) and text[i + 1] == "*":
            tokens.append(["op", "**"])
            i += 2
        elif ch == "/" and i + 1 < len(text) and text[i + 1] == "/":
            tokens.append(["op", "//"])
            i += 2
        else:
            tokens.append(["op", ch])
            i += 1
    tokens.append(["end", None])
    return tokens


tokens = []
pos = 0
code = []


def peek():
    return tokens[pos][1]


def advance():
    global pos
    pos += 1


def parse_expr():
    parse_term()
    while peek() == "+" or peek() == "-":
        op = peek()
        advance()
        parse_term()
        code.append([ADD if op == "+" else SUB, None])


def parse_term():
    parse_unary()
    while peek() == "*" or peek() == "//" or peek() == "%":
        op = peek()
        advance()
        parse_unary()
        if op == "*":
            code.append([MUL, None])
        elif op == "//":
            code.append([DIV, None])
        else:
            code.append([MOD, None])


def parse_unary():
    if peek() == "-":
        advance()
        parse_unary()
        code.append([NEG, None])
    else:
        parse_power()


def parse_power():
    parse_atom()
    if peek() == "**":
        advance()
        parse_unary()
        code.append([POW, None])


def parse_atom():
    if tokens[pos][0] == "num":
        code.append([PUSH, tokens[pos][1]])
        advance()
    elif peek() == "(":
        advance()
        parse_expr()
        advance()


def compile_expr(text):
    global tokens, pos, code
    tokens = tokenize(text)
    pos = 0
    code = []
    parse_expr()
    return code


def run(program):
    stack = []
    for ins in program:
        op = ins[0]
        if op == PUSH:
            stack.append(ins[1])
            continue
        if op == NEG:
            stack[-1] = -stack[-1]
            continue
        b = stack[-1]
        a = stack[-2]
        if op == ADD:
            r = a + b
        elif op == SUB:
            r = a - b
        elif op == MUL:
            r = a * b
        elif op == DIV:
            r = a // b
        elif op == MOD:
            r = a % b
        else:
            r = a ** b
        # pop two, push one (no list.pop in the subset: rebuild the stack)
        shorter = []
        for k in range(len(stack) - 2):
            shorter.append(stack[k])
        shorter.append(r)
        stack = shorter
    return stack[0]


SOURCES = [
    "1 + 2 * 3",
    "(1 + 2) * 3",
    "2 ** 10 - 24",
    "-7 // 2",
    "-7 % 3",
    "2 ** 3 ** 2",
    "-2 ** 2",
    "2 ** 64 + 1",
    "(2 ** 100 - 1) // 3 % 1000000007",
    "10 - 4 - 3",
    "100 // 7 // 2",
    "((((5))))",
    "3 * -(4 + 5)",
]
for src in SOURCES:
    prog = compile_expr(src)
    listing = []
    for ins in prog:
        if ins[0] == PUSH:
            listing.append(NAMES[ins[0]] + " " + str(ins[1]))
        else:
            listing.append(NAMES[ins[0]])
    print(src, "=>", listing)
    print("   =", run(prog))
