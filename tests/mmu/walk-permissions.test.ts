import { describe, expect, it } from 'vitest';
import { walk } from '../../board/aarch64/mmu/walk';
import { permits, requiredPerm } from '../../board/aarch64/mmu/permissions';
import { Access, Perm } from '../../board/aarch64/mmu/types';
import { D, makeRegs, pageDesc, smallRam, TableBuilder, vaHalves } from './page-table-builder';

/** "EL1/EL0" as rwx letters, e.g. "RW-/RWX". */
function show(perms: number): string {
  const f = (r: number, w: number, x: number) => (perms & r ? 'R' : '-') + (perms & w ? 'W' : '-') + (perms & x ? 'X' : '-');
  return `${f(Perm.El1Read, Perm.El1Write, Perm.El1Exec)}/${f(Perm.El0Read, Perm.El0Write, Perm.El0Exec)}`;
}

function permsOf(leafAttrs: bigint, opts: { wxn?: boolean; tableAttrs?: Array<[number, bigint]> } = {}): string {
  const b = new TableBuilder(smallRam(), 12, 48);
  const va = 0x0000_0012_3456_7000n;
  for (const [level, attrs] of opts.tableAttrs ?? []) {
    b.slot(va, level + 1); // create the path down to the table below `level`
    const addr = b.slot(va, level);
    const cur = (BigInt(b.mem.read64hi(Number(addr))) << 32n) | BigInt(b.mem.read64lo(Number(addr)));
    b.mem.write64(Number(addr), Number((cur | attrs) & 0xffff_ffffn), Number((cur | attrs) >> 32n));
  }
  b.set(va, 3, pageDesc(0x4000_0000n, D.af | leafAttrs));
  const [lo, hi] = vaHalves(va);
  const r = walk(b.mem, makeRegs({ ttbr0: b.root, wxn: opts.wxn }), lo, hi);
  if (!r.ok) throw new Error(`fault ${r.kind}`);
  return show(r.perms);
}

// Arm ARM, stage 1 EL1&0 data and instruction permissions (Armv8.0, no PAN), rows: UXN PXN AP[2:1].
const TABLE: Array<[number, number, number, string, string]> = [
  [0, 0, 0b00, 'RWX/--X', 'RW-/--X'],
  [0, 0, 0b01, 'RW-/RWX', 'RW-/RW-'],
  [0, 0, 0b10, 'R-X/--X', 'R-X/--X'],
  [0, 0, 0b11, 'R-X/R-X', 'R-X/R-X'],
  [0, 1, 0b00, 'RW-/--X', 'RW-/--X'],
  [0, 1, 0b01, 'RW-/RWX', 'RW-/RW-'],
  [0, 1, 0b10, 'R--/--X', 'R--/--X'],
  [0, 1, 0b11, 'R--/R-X', 'R--/R-X'],
  [1, 0, 0b00, 'RWX/---', 'RW-/---'],
  [1, 0, 0b01, 'RW-/RW-', 'RW-/RW-'],
  [1, 0, 0b10, 'R-X/---', 'R-X/---'],
  [1, 0, 0b11, 'R-X/R--', 'R-X/R--'],
  [1, 1, 0b00, 'RW-/---', 'RW-/---'],
  [1, 1, 0b01, 'RW-/RW-', 'RW-/RW-'],
  [1, 1, 0b10, 'R--/---', 'R--/---'],
  [1, 1, 0b11, 'R--/R--', 'R--/R--'],
];

describe('leaf permissions', () => {
  for (const [uxn, pxn, ap, plain, withWxn] of TABLE) {
    it(`UXN=${uxn} PXN=${pxn} AP=${ap.toString(2).padStart(2, '0')} gives ${plain}, ${withWxn} with WXN`, () => {
      const attrs = D.ap(ap) | (uxn ? D.uxn : 0n) | (pxn ? D.pxn : 0n);
      expect(permsOf(attrs)).toBe(plain);
      expect(permsOf(attrs, { wxn: true })).toBe(withWxn);
    });
  }
});

describe('hierarchical table permissions', () => {
  it('APTable[0] removes EL0 data access below the table', () => {
    expect(permsOf(D.ap(0b01), { tableAttrs: [[1, D.apTableNoEl0]] })).toBe('RWX/--X');
    expect(permsOf(D.ap(0b11), { tableAttrs: [[0, D.apTableNoEl0]] })).toBe('R-X/--X');
  });

  it('APTable[1] removes write access at every EL', () => {
    expect(permsOf(D.ap(0b01), { tableAttrs: [[2, D.apTableReadOnly]] })).toBe('R-X/R-X');
    expect(permsOf(D.ap(0b00), { tableAttrs: [[1, D.apTableReadOnly]] })).toBe('R-X/--X');
  });

  it('UXNTable and PXNTable remove execution at their EL', () => {
    expect(permsOf(D.ap(0b11), { tableAttrs: [[0, D.uxnTable]] })).toBe('R-X/R--');
    expect(permsOf(D.ap(0b11), { tableAttrs: [[2, D.pxnTable]] })).toBe('R--/R-X');
  });

  it('accumulates restrictions from several levels', () => {
    expect(permsOf(D.ap(0b01), { tableAttrs: [[0, D.pxnTable], [1, D.apTableReadOnly], [2, D.uxnTable]] })).toBe('R--/R--');
  });

  it('ignores the table-only bit positions in a page descriptor', () => {
    expect(permsOf(D.ap(0b01) | D.apTableNoEl0 | D.apTableReadOnly | D.uxnTable | D.pxnTable)).toBe('RW-/RWX');
  });
});

describe('access checks against a Perm set', () => {
  it('picks the bit for the access and exception level', () => {
    expect(requiredPerm(Access.Read, true)).toBe(Perm.El0Read);
    expect(requiredPerm(Access.Write, true)).toBe(Perm.El0Write);
    expect(requiredPerm(Access.Fetch, true)).toBe(Perm.El0Exec);
    expect(requiredPerm(Access.Read, false)).toBe(Perm.El1Read);
    expect(requiredPerm(Access.Write, false)).toBe(Perm.El1Write);
    expect(requiredPerm(Access.Fetch, false)).toBe(Perm.El1Exec);
    const ro = Perm.El0Read | Perm.El1Read;
    expect(permits(ro, Access.Read, true)).toBe(true);
    expect(permits(ro, Access.Write, true)).toBe(false);
    expect(permits(ro, Access.Fetch, false)).toBe(false);
  });
});
