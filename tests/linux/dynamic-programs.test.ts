// Our C test programs built dynamically (glibc and musl, see
// tests/fixtures/linux-dynamic/build.sh), plus programs for what dynamic
// linking itself needs (dlopen with TLS, DT_NEEDED, /proc/self/maps, the
// interpreter run directly, missing and wrong-machine libraries), on salty
// with -L SYSROOT: compared with the goldens qemu-aarch64 -L SYSROOT recorded,
// and live where qemu-aarch64 is installed.

import { describe, expect, it } from 'vitest';
import { hasQemu } from './run-fixture';
import { DYNAMIC, dynamicGolden, runDynamicOnQemu, runDynamicOnSalty, sysrootMissing, SYSROOTS, withoutSaltyNotes, type DynamicCase, type Libc } from './run-dynamic';

const PORTED = ['files', 'fork', 'signals', 'threads', 'mmap', 'exec', 'stdio', 'restart', 'events', 'jobs', 'shared', 'maps', 'fdrange'];

function cases(libc: Libc): DynamicCase[] {
  const own = (name: string): DynamicCase => ({ name, libc, file: `${DYNAMIC}/${name}.${libc}.elf`, argv0: name });
  const needlib = (name: string, dir: string | null): DynamicCase => ({
    name,
    libc,
    file: `${DYNAMIC}/needlib.${libc}.elf`,
    argv0: 'needlib',
    env: dir === null ? [] : [`LD_LIBRARY_PATH=${DYNAMIC}/${dir}`],
  });
  const loader = libc === 'glibc' ? 'lib/ld-linux-aarch64.so.1' : 'lib/ld-musl-aarch64.so.1';
  return [
    ...PORTED.map(own),
    { name: 'dlopen', libc, file: `${DYNAMIC}/${libc}/dlopen.elf`, argv0: 'dlopen' },
    needlib('needlib', libc),
    needlib('needlib-wrong-machine', 'x86_64'),
    needlib('needlib-missing', null),
    { name: 'interp-direct', libc, file: `${SYSROOTS[libc]}/${loader}`, args: [`${DYNAMIC}/threads.${libc}.elf`] },
  ];
}

// As for the static programs: exec cannot be run live (qemu hands a guest
// execve to the host), and these depend on host timing under qemu; signals
// too here: under load qemu once reported a child killed by SIGPIPE as
// status 0 (its golden, from a quiet run, says 13, as salty does). files,
// mmap and shared write fixed /tmp paths on the host under qemu, which the
// static suite's live run (in parallel) and other checkouts also write.
const NOT_LIVE = new Set(['exec', 'jobs', 'restart', 'events', 'stdio', 'signals', 'files', 'mmap', 'shared']);

for (const libc of ['glibc', 'musl'] as const) {
  const missing = sysrootMissing(libc);
  describe(`dynamically linked programs (${libc}, -L ${SYSROOTS[libc]}): salty matches qemu-aarch64`, () => {
    if (missing) {
      it.skip(`skipped: ${missing}`, () => {});
      return;
    }
    for (const c of cases(libc)) {
      it(c.name, () => {
        const want = dynamicGolden(c);
        const got = runDynamicOnSalty(c);
        expect(got.stdout).toBe(want.stdout);
        expect(withoutSaltyNotes(got.stderr)).toBe(want.stderr);
        expect(got.status).toBe(want.status);
      }, 120_000);
    }
    it.skipIf(!hasQemu)('live: the same output and status as qemu-aarch64 -L now', () => {
      for (const c of cases(libc).filter((x) => !NOT_LIVE.has(x.name))) {
        const want = runDynamicOnQemu(c);
        const got = runDynamicOnSalty(c);
        expect(got.stdout, c.name).toBe(want.stdout);
        expect(withoutSaltyNotes(got.stderr), c.name).toBe(want.stderr);
        expect(got.status, c.name).toBe(want.status);
      }
    }, 600_000);
  });
}
