#!/usr/bin/env bash
# Runs every test of pyaot: the workspace's unit tests, the differential tests
# (tests/programs.rs: CPython 3.11 is the oracle) and the runtime's own tests.
#
# On a fresh Debian machine it first installs what the tests need besides the
# Rust toolchain: CPython 3.11 (`python3`, the oracle) and a C compiler
# driver with binutils (pyaot's system-linker path runs `cc`), GNU as for
# ARM (codegen-arm's golden encoding tests check their table against it),
# qemu-system-arm (the Cortex-M firmware runs on an emulated MPS2-AN385
# board) and the Rust target thumbv7m-none-eabi (the Cortex-M runtime).
set -euo pipefail
cd "$(dirname "$0")"

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

missing=()
command -v cc >/dev/null 2>&1 || missing+=(gcc)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v arm-none-eabi-as >/dev/null 2>&1 || missing+=(binutils-arm-none-eabi) # Thumb-2 encoder oracle
if ((${#missing[@]})); then
    echo "test.sh: installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# qemu-system-arm: Debian 12's own 7.2 conflicts with the qemu-utils 10.0 such
# images carry (apt would remove it); the bookworm-backports build (10.0)
# installs beside it. The backports suite is added from the machine's own
# Debian source.
if ! command -v qemu-system-arm >/dev/null 2>&1; then
    echo "test.sh: installing qemu-system-arm from bookworm-backports" >&2
    if [ -f /etc/apt/sources.list.d/debian.sources ] && ! grep -qs bookworm-backports /etc/apt/sources.list.d/*.sources; then
        awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
            | sed 's/^Suites: .*/Suites: bookworm-backports/' \
            | "${sudo[@]}" tee /etc/apt/sources.list.d/backports.sources >/dev/null
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        -t bookworm-backports qemu-system-arm qemu-system-common qemu-system-data >/dev/null
fi

if ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "test.sh: python3 must be CPython 3.11 (the tests' oracle); it is $(python3 --version 2>&1)" >&2
    exit 1
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "test.sh: cargo is missing; install Rust from https://rustup.rs" >&2
    exit 1
fi
# The Cortex-M runtime is compiled for thumbv7m-none-eabi: add the target to
# whatever toolchain is active (a no-op when it is there). The toolchain itself
# is not pinned, so no test run ever downloads or replaces a toolchain.
if command -v rustup >/dev/null 2>&1; then
    rustup target add thumbv7m-none-eabi >/dev/null 2>&1 \
        || { echo "test.sh: cannot add the Rust target thumbv7m-none-eabi" >&2; exit 1; }
fi

# Every suite runs even when an earlier one fails; the status says if any did.
status=0
cargo test --workspace --release --no-fail-fast || status=1
(cd runtime-lib && cargo test --no-fail-fast) || status=1
exit "$status"
