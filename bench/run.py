#!/usr/bin/env python3
"""Benchmark pyaot's executables against CPython 3.11.

For each program of ../shared/bench (or those named on the command line):
build it with `pyaot build` (timed; a program pyaot refuses is skipped with
its `unsupported` message), check that the executable prints exactly what
CPython prints, then time the executable and Debian's system
/usr/bin/python3.11 (the PGO+LTO build, not pyenv's) alternately, whole
process, and report the median of the runs of each.

    cargo build --release && python3 bench/run.py            # default sizes
    python3 bench/run.py --quick fib toyvm                   # smoke sizes

Not part of the tests: timings depend on the machine and its load.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")
DEFAULT_PYAOT = os.path.join(ROOT, "target", "release", "pyaot")
SYSTEM_PYTHON = "/usr/bin/python3.11"


def default_size(source):
    """The program's own default N, from its `(default N = 35)` usage line."""
    match = re.search(r"default N = (\d+)", source)
    return match.group(1) if match else None


def smoke_sizes(bench_dir):
    """The README's smoke-test sizes: `| `fib.py` | ... | 35 | 20: ... |`."""
    sizes = {}
    try:
        with open(os.path.join(bench_dir, "README.md"), encoding="utf-8") as f:
            for line in f:
                row = line.strip().strip("|").replace("\\|", "")
                cells = [c.strip() for c in row.split("|")]
                if len(cells) >= 4 and cells[0].startswith("`") and cells[0].endswith(".py`"):
                    smoke = cells[3].split(":")[0].strip()
                    if smoke.isdigit():
                        sizes[cells[0].strip("`")] = smoke
    except OSError:
        pass
    return sizes


def run(argv, timeout):
    """Runs a whole process; returns (seconds, completed process)."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, timeout=timeout)
    return time.perf_counter() - start, done


def human_size(n):
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="*", help="benchmark names (default: all)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--quick", action="store_true", help="use the README's smoke-test sizes")
    parser.add_argument("--bench-dir", default=DEFAULT_BENCH)
    parser.add_argument("--pyaot", default=DEFAULT_PYAOT, help="the pyaot executable")
    parser.add_argument("--python", default=SYSTEM_PYTHON, help="the CPython to compare with")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    args = parser.parse_args()

    for path, what in [(args.pyaot, "pyaot (cargo build --release)"), (args.python, "CPython")]:
        if not os.access(path, os.X_OK):
            sys.exit(f"error: {path} is missing: {what}")
    if not os.path.isdir(args.bench_dir):
        sys.exit(f"error: {args.bench_dir} is missing (the benchmark programs)")

    names = sorted(f for f in os.listdir(args.bench_dir) if f.endswith(".py"))
    if args.programs:
        wanted = {p if p.endswith(".py") else p + ".py" for p in args.programs}
        unknown = wanted - set(names)
        if unknown:
            sys.exit(f"error: no such benchmark: {', '.join(sorted(unknown))}")
        names = [n for n in names if n in wanted]
    smoke = smoke_sizes(args.bench_dir) if args.quick else {}

    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="pyaot-bench-") as scratch:
        for name in names:
            program = os.path.join(args.bench_dir, name)
            with open(program, encoding="utf-8") as f:
                size = smoke.get(name) or default_size(f.read())
            size_args = [size] if size else []
            exe = os.path.join(scratch, name[:-3])

            build_seconds, built = run([args.pyaot, "build", program, "-o", exe], args.timeout)
            if built.returncode != 0:
                reason = built.stderr.decode(errors="replace").strip().splitlines()
                notes.append(f"{name}: skipped, pyaot refuses it: {reason[0] if reason else '?'}")
                print(f"{name:18} skipped", file=sys.stderr)
                continue

            _, expected = run([args.python, program, *size_args], args.timeout)
            _, got = run([exe, *size_args], args.timeout)
            if (got.stdout, got.returncode) != (expected.stdout, expected.returncode):
                notes.append(
                    f"{name}: skipped, output differs from CPython's "
                    f"(CPython {expected.stdout[:60]!r}..., pyaot {got.stdout[:60]!r}...)"
                )
                print(f"{name:18} wrong output", file=sys.stderr)
                continue

            native, cpython = [], []
            for _ in range(args.runs):
                native.append(run([exe, *size_args], args.timeout)[0])
                cpython.append(run([args.python, program, *size_args], args.timeout)[0])
            t_native, t_cpython = statistics.median(native), statistics.median(cpython)
            rows.append(
                (name[:-3], size or "-", f"{build_seconds:.2f}", f"{t_native:.3f}",
                 f"{t_cpython:.3f}", f"{t_cpython / t_native:.2f}x", human_size(os.path.getsize(exe)))
            )
            print(f"{name:18} done", file=sys.stderr)

    header = ("program", "N", "build s", "pyaot s", "cpython s", "cpython/pyaot", "binary")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"median of {args.runs} runs each, alternating; CPython = {args.python}")
    for row in [header, *rows]:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
