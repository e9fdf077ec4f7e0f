// Static shells built on four C libraries start and run a small script on
// salty: bash (glibc), mksh with musl, klibc and dietlibc (Debian's arm64
// builds, fetched by tests/realworld/fetch.sh). The host's /bin/sh running the
// same script is the oracle.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const ROOT = join(process.cwd(), 'tests/realworld/.cache/root');
const SHELLS = [
  ['glibc', 'bin/bash-static'],
  ['musl', 'usr/lib/aarch64-linux-musl/bin/mksh'],
  ['klibc', 'usr/lib/klibc/bin/mksh'],
  ['dietlibc', 'usr/lib/diet/bin/mksh'],
] as const;

// Builtins only: the host's tools are x86-64 and cannot run on the guest.
const SCRIPT = [
  'echo "sum $((6 * 7))"',
  'i=0; s=; while [ $i -lt 5 ]; do i=$((i + 1)); s="$s$i."; done; echo "$s"',
  'x=$(echo inner; exit 2); echo "subst $x $?"',
  '( exit 9 ); echo "subshell $?"',
  'trap "echo trapped" USR1; kill -USR1 $$',
  'echo piped | { read v; echo "read $v"; }',
  'cd /tmp && pwd',
  'exit 6',
].join('\n');

describe('static shells of four C libraries', () => {
  const host = spawnSync('/bin/sh', ['-c', SCRIPT], { encoding: 'utf8', cwd: '/' });
  for (const [libc, path] of SHELLS) {
    const file = join(ROOT, path);
    it.skipIf(!existsSync(file))(`${libc}: ${path} runs the script as the host shell does`, () => {
      let out = '';
      const status = runProgram(
        { file, bytes: readFileSync(file), args: ['-c', SCRIPT], argv0: 'sh', env: ['PATH=/bin'], memoryBytes: 128 << 20, strace: false, stats: false },
        { writeOut: (d) => (out += Buffer.from(d).toString()), writeErr: (d) => (out += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false },
      );
      expect(out).toBe(host.stdout);
      expect(status).toBe(host.status);
    });
  }
});
