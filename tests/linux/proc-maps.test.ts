// /proc/self/maps as Linux writes it, read by a real dynamically linked
// program (Debian's arm64 sed from the tests/realworld-dynamic sysroot): the
// columns, the name at column 73, anonymous lines ending in one space, and
// the layout of Linux 6.1 without randomisation: the PIE at ELF_ET_DYN_BASE
// aligned to 64 KiB, [heap] right after it, the interpreter top-down above
// the libraries it mapped, the stack at the top.

import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from './run-fixture';
import { runDynamicOnSalty, SYSROOTS } from './run-dynamic';

const SED = `${SYSROOTS.musl}/bin/sed`;
const LINE = /^([0-9a-f]{8,})-([0-9a-f]{8,}) ([r-][w-][x-][ps]) ([0-9a-f]{8}) ([0-9a-f]{2}:[0-9a-f]{2}) (\d+) (.*)$/;

describe.runIf(existsSync(SED))('/proc/self/maps', () => {
  let run: Outcome;
  let lines: string[] = [];
  let parsed: { l: string; m: RegExpExecArray | null }[] = [];
  beforeAll(() => {
    // sed needs libraries the cross sysroot lacks: -L the sysroot it came from.
    run = runDynamicOnSalty({ name: 'maps', libc: 'glibc', file: SED, args: ['-n', 'p', '/proc/self/maps'], sysroot: SYSROOTS.musl }, '');
    lines = run.stdout.split('\n').filter(Boolean);
    parsed = lines.map((l) => ({ l, m: LINE.exec(l) }));
  });

  it('every line has Linux columns; names start at column 73; anonymous lines end with one space', () => {
    expect(run.status).toBe(0);
    expect(lines.length).toBeGreaterThan(10);
    for (const { l, m } of parsed) {
      expect(m, l).not.toBeNull();
      const rest = m![7];
      if (rest.trim() === '') expect(rest, l).toBe('');
      else expect(l.indexOf(rest.trimStart()), l).toBe(73);
      if (m![6] === '0') expect(m![5], l).toBe('00:00');
    }
  });

  it('lays the process out as Linux 6.1 does', () => {
    const names = parsed.map(({ m }) => m![7].trim());
    const starts = parsed.map(({ m }) => parseInt(m![1], 16));
    expect(lines[0]).toMatch(/^aaaaaaaa0000-[0-9a-f]+ r-xp 00000000 08:01 \d+ +\/.*\/bin\/sed$/);
    const heap = names.indexOf('[heap]');
    expect(heap).toBeGreaterThan(0);
    expect(names.slice(0, heap).every((n) => n.endsWith('/bin/sed'))).toBe(true);
    const ld = names.findIndex((n) => n.endsWith('/ld-linux-aarch64.so.1'));
    const libc = names.findIndex((n) => n.endsWith('/libc.so.6'));
    expect(libc).toBeGreaterThan(heap);
    expect(ld).toBeGreaterThan(libc);
    expect(starts[ld]).toBeGreaterThan(0xffff_0000_0000);
    expect(names[names.indexOf('[stack]') - 1]).toMatch(/ld-linux-aarch64.so.1$/);
    expect(lines.filter((l) => l.includes('libc.so.6')).map((l) => l.slice(26, 30))).toEqual(['r-xp', '---p', 'r--p', 'rw-p']);
  });
});
