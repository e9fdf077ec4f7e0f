// The walker's permissions against QEMU's: fixtures/perm-probe.elf measured every
// AP/UXN/PXN leaf under five kinds of table descriptor, with WXN off and on, on
// qemu-system-aarch64 -M virt -cpu cortex-a57 (golden output committed next to it).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walk } from '../../board/aarch64/mmu/walk';
import { Perm } from '../../board/aarch64/mmu/types';
import { D, makeRegs, pageDesc, smallRam, TableBuilder, vaHalves, writeDesc } from './page-table-builder';

const FIXTURES = join(__dirname, 'fixtures');
const GOLDEN = readFileSync(join(FIXTURES, 'perm-probe.golden.txt'), 'utf8');

const TABLES: Array<[string, bigint]> = [
  ['none', 0n],
  ['APTable0', D.apTableNoEl0],
  ['APTable1', D.apTableReadOnly],
  ['UXNTable', D.uxnTable],
  ['PXNTable', D.pxnTable],
];

function show(perms: number): string {
  const f = (r: number, w: number, x: number) => (perms & r ? 'R' : '-') + (perms & w ? 'W' : '-') + (perms & x ? 'X' : '-');
  return `${f(Perm.El1Read, Perm.El1Write, Perm.El1Exec)}/${f(Perm.El0Read, Perm.El0Write, Perm.El0Exec)}`;
}

/** The probe's layout rebuilt with the test's own builder, walked by our walker, printed as the probe prints. */
function walkerReport(): string {
  const b = new TableBuilder(smallRam(), 12, 39);
  const lines: string[] = [];
  const base = 0x4040_0000n;
  TABLES.forEach(([, attrs], k) => {
    const regionVa = base + BigInt(k) * 0x20_0000n;
    const l2Slot = b.slot(regionVa, 2);
    b.slot(regionVa, 3); // creates the level-3 table under the level-2 descriptor
    const cur = (BigInt(b.mem.read64hi(Number(l2Slot))) << 32n) | BigInt(b.mem.read64lo(Number(l2Slot)));
    writeDesc(b.mem, l2Slot, cur | attrs);
    for (let i = 0; i < 16; i++) {
      const leaf = D.af | D.ap(i & 3) | ((i >> 2) & 1 ? D.uxn : 0n) | ((i >> 3) & 1 ? D.pxn : 0n) | (3n << 8n);
      b.set(regionVa + BigInt(i) * 0x1000n, 3, pageDesc(0x4030_0000n + BigInt(i) * 0x1000n, leaf));
    }
  });
  for (const wxn of [false, true]) {
    const regs = makeRegs({ ttbr0: b.root, t0sz: 25, ips: 2, epd1: true, wxn, mair: 0x04ffn });
    TABLES.forEach(([name], k) => {
      for (let i = 0; i < 16; i++) {
        const [lo, hi] = vaHalves(base + BigInt(k) * 0x20_0000n + BigInt(i) * 0x1000n);
        const r = walk(b.mem, regs, lo, hi);
        if (!r.ok) throw new Error(`walker fault ${r.kind} at level ${r.level}`);
        const ap = `${(i >> 1) & 1}${i & 1}`;
        lines.push(`wxn=${wxn ? 1 : 0} table=${name} uxn=${(i >> 2) & 1} pxn=${(i >> 3) & 1} ap=${ap} ${show(r.perms)}`);
      }
    });
  }
  return lines.join('\n') + '\n';
}

function haveQemu(): boolean {
  return spawnSync('qemu-system-aarch64', ['--version']).status === 0;
}

describe('permissions against QEMU (perm-probe)', () => {
  it('match the golden output recorded from qemu-system-aarch64', () => {
    expect(GOLDEN.split('\n').filter(Boolean)).toHaveLength(160);
    expect(walkerReport()).toBe(GOLDEN);
  });

  it.skipIf(!haveQemu())('match a live run of the probe', () => {
    const out = execFileSync(
      'qemu-system-aarch64',
      ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-kernel', join(FIXTURES, 'perm-probe.elf')],
      { timeout: 30_000, encoding: 'utf8' },
    );
    expect(out).toBe(GOLDEN);
  });
});
