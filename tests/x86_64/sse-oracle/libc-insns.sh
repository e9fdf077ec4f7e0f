#!/usr/bin/env bash
# Prints (JSON) the distinct SSE-family instruction encodings in the functions
# of static glibc and musl builds of libc-probe.c that a CPU without AVX, FMA,
# RTM or XSAVE can select (ifunc variants named avx/evex/fma/rtm/... skipped).
# Usage: libc-insns.sh OUTDIR  (needs gcc, objdump, python3; musl-gcc optional)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$(mktemp -d)}"
gcc -O2 -static -o "$out/probe-glibc" "$here/libc-probe.c" -lm
bins=("$out/probe-glibc")
if command -v musl-gcc >/dev/null; then
  musl-gcc -O2 -static -o "$out/probe-musl" "$here/libc-probe.c" -lm
  bins+=("$out/probe-musl")
fi
python3 - "${bins[@]}" <<'PY'
import json, re, subprocess, sys
SKIP = re.compile(r'avx|evex|_rtm|xsave|_v3|_v4|x86_64_v|fma', re.I)
SSE = re.compile(r'^(?!pop|push|pause|prefetch)(p[a-z]|movs[sd]$|mov(ap|up|dq|hp|lp|hlp|lhp|msk|nt|q$|d$|dup|shdup|sldup)|cvt|(add|sub|mul|div|min|max|sqrt|rcp|rsqrt)[sp][sd]$|(andn?|x?or)p[sd]$|cmp\w+[sp][sd]$|u?comis|shufp|unpck|ldmxcsr|stmxcsr|round|blend|dpp|insertps|extractps|crc32|h(add|sub)p|addsubp|lddqu|palignr|maskmov|fxsave|fxrstor)')
res = {}
for path in sys.argv[1:]:
    out = subprocess.run(['objdump', '-d', '--insn-width=16', '-M', 'intel', path], capture_output=True, text=True).stdout
    fn = None
    for line in out.splitlines():
        m = re.match(r'^[0-9a-f]+ <(.+)>:$', line)
        if m:
            fn = m.group(1)
            continue
        m = re.match(r'^\s+[0-9a-f]+:\t([0-9a-f ]+)\t(.*)$', line)
        if not m or fn is None or SKIP.search(fn):
            continue
        text = re.sub(r'\s+', ' ', re.sub(r'#.*|<.*', '', m.group(2))).strip()
        if not SSE.match(text.split(' ')[0]):
            continue
        res.setdefault(m.group(1).replace(' ', ''), [text, fn])
print('[\n' + ',\n'.join(json.dumps([b, t, f]) for b, (t, f) in sorted(res.items())) + '\n]')
PY
