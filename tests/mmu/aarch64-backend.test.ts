// The kernel's aarch64 backend, checked through the board's walker (not its own bookkeeping).
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { currentAsid, walk } from '../../board/aarch64/mmu/walk';
import { faultStatusCode } from '../../board/aarch64/mmu/fault-status';
import { Perm, type WalkResult } from '../../board/aarch64/mmu/types';
import { createAarch64Mmu } from '../../kernel/arch/aarch64/mmu';
import { stage1Regs } from '../../kernel/arch/aarch64/translation-regime';
import type { ArchMmu, PageAttrs, TableRoot, TlbHooks } from '../../kernel/arch/arch';
import { pageAttrsOfBits } from './page-attrs-combinations';

const RAM_BASE = 0x4000_0000;

interface Rig {
  mem: PhysicalMemory;
  mmu: ArchMmu;
  allocated: Set<number>;
  tlbLog: string[];
  user: TableRoot;
  kernel: TableRoot;
  walkAt(va: bigint, root?: TableRoot): WalkResult;
}

function rig(): Rig {
  const mem = new PhysicalMemory(RAM_BASE, 4 * 1024 * 1024);
  mem.fill(RAM_BASE, mem.ramSize, 0xa5); // tables must be zeroed by the backend
  const allocated = new Set<number>();
  let next = RAM_BASE + 0x10_0000;
  const frames = {
    alloc: () => {
      const pa = next;
      next += 4096;
      allocated.add(pa);
      return pa;
    },
    free: (pa: number) => void allocated.delete(pa),
  };
  const tlbLog: string[] = [];
  const tlb: TlbHooks = {
    invalidatePage: (asid, va) => void tlbLog.push(`page ${asid} ${va}`),
    invalidateAsid: (asid) => void tlbLog.push(`asid ${asid}`),
    invalidateAll: () => void tlbLog.push('all'),
  };
  const mmu = createAarch64Mmu(mem, frames, tlb);
  const user = mmu.createRoot();
  const kernel = mmu.createRoot();
  const walkAt = (va: bigint, root = user) => {
    const v = BigInt.asUintN(64, va);
    return walk(mem, stage1Regs(root, kernel), Number(v & 0xffff_ffffn), Number(v >> 32n));
  };
  return { mem, mmu, allocated, tlbLog, user, kernel, walkAt };
}

const attrs = (a: Partial<PageAttrs>): PageAttrs => ({ read: true, write: false, exec: false, user: true, global: false, device: false, ...a });

function expectedPerms(a: PageAttrs): number {
  if (a.user) {
    return (
      Perm.El1Read |
      (a.write ? Perm.El1Write : 0) |
      (a.read || a.write ? Perm.El0Read : 0) |
      (a.write ? Perm.El0Write : 0) |
      (a.exec ? Perm.El0Exec : 0)
    );
  }
  return Perm.El1Read | (a.write ? Perm.El1Write : 0) | (a.exec ? Perm.El1Exec : 0);
}

describe('aarch64 backend mappings, read back by the walker', () => {
  it('maps a user page in TTBR0 at low and high addresses, to physical addresses above 4 GiB', () => {
    const r = rig();
    r.mmu.map(r.user, 0x40_0000, 0x8_1234_5000, attrs({ write: true }));
    r.mmu.map(r.user, 2 ** 48 - 4096, 0xffff_ffff_f000, attrs({}));
    expect(r.walkAt(0x40_0123n)).toMatchObject({ ok: true, pagePa: 0x8_1234_5000, level: 3, global: false, device: false });
    expect(r.walkAt(0xffff_ffff_f000n)).toMatchObject({ ok: true, pagePa: 0xffff_ffff_f000 });
    expect(r.walkAt(0x40_1000n)).toEqual({ ok: false, kind: 'translation', level: 3 });
    expect(r.walkAt(0x80_0000_0000n)).toEqual({ ok: false, kind: 'translation', level: 0 });
  });

  it('maps kernel (negative) addresses in a TTBR1 root', () => {
    const r = rig();
    const va = -(2 ** 47) + 0x4000_0000; // 0xFFFF_8000_4000_0000
    r.mmu.map(r.kernel, va, 0x4000_0000, attrs({ user: false, write: true, global: true }));
    expect(r.walkAt(0xffff_8000_4000_0000n)).toMatchObject({ ok: true, pagePa: 0x4000_0000, global: true });
    expect(r.mmu.query(r.kernel, va)?.pa).toBe(0x4000_0000);
  });

  it('gives every combination of attributes the permissions it asks for, and reads them back', () => {
    const r = rig();
    let va = 0x10_0000;
    for (let bits = 0; bits < 64; bits++) {
      const a = pageAttrsOfBits(bits);
      va += 4096;
      r.mmu.map(r.user, va, 0x4030_0000, a);
      const w = r.walkAt(BigInt(va));
      if (!w.ok) throw new Error(`fault for ${JSON.stringify(a)}`);
      expect(w.perms, JSON.stringify(a)).toBe(expectedPerms(a));
      expect([w.global, w.device]).toEqual([a.global, a.device]);
      const q = r.mmu.query(r.user, va)!;
      // write implies read, and kernel pages are always readable at EL1
      expect(q.attrs).toEqual({ ...a, read: a.read || a.write || !a.user });
      expect([q.pa, q.accessed, q.cow]).toEqual([0x4030_0000, true, false]);
    }
  });

  it('tags the user root with its ASID in TTBR0', () => {
    const r = rig();
    r.user.asid = 0xbeef;
    expect(currentAsid(stage1Regs(r.user, r.kernel))).toBe(0xbeef);
  });
});

describe('aarch64 backend updates', () => {
  it('maps "old" pages with AF = 0 and sets AF on markAccessed', () => {
    const r = rig();
    r.mmu.map(r.user, 0x5000, 0x4020_0000, attrs({}), { old: true });
    expect(r.walkAt(0x5000n)).toEqual({ ok: false, kind: 'access-flag', level: 3 });
    expect(r.mmu.query(r.user, 0x5000)?.accessed).toBe(false);
    expect(r.mmu.markAccessed(r.user, 0x5000)).toBe(true);
    expect(r.walkAt(0x5000n)).toMatchObject({ ok: true, pagePa: 0x4020_0000 });
    expect(r.mmu.markAccessed(r.user, 0x6000)).toBe(false);
    expect(r.mmu.markAccessed(r.user, 0x7000_0000)).toBe(false);
  });

  it('replaces, protects and unmaps with TLB invalidation', () => {
    const r = rig();
    r.user.asid = 7;
    expect(r.mmu.map(r.user, 0x9000, 0x4021_0000, attrs({ write: true }))).toBeNull();
    expect(r.tlbLog).toEqual([]);
    const old = r.mmu.map(r.user, 0x9000, 0x4022_0000, attrs({ write: true }));
    expect(old?.pa).toBe(0x4021_0000);
    expect(r.tlbLog).toEqual(['page 7 36864']);
    expect(r.walkAt(0x9000n)).toMatchObject({ ok: true, pagePa: 0x4022_0000 });

    expect(r.mmu.protect(r.user, 0x9000, attrs({}), { cow: true })).toBe(true);
    const w = r.walkAt(0x9000n);
    expect(w.ok && w.perms & Perm.El0Write).toBe(0);
    expect(w).toMatchObject({ ok: true, pagePa: 0x4022_0000 });
    expect(r.mmu.query(r.user, 0x9000)?.cow).toBe(true);
    expect(r.mmu.protect(r.user, 0xa000, attrs({}))).toBe(false);

    expect(r.mmu.unmap(r.user, 0x9000)?.pa).toBe(0x4022_0000);
    expect(r.walkAt(0x9000n)).toEqual({ ok: false, kind: 'translation', level: 3 });
    expect(r.mmu.unmap(r.user, 0x9000)).toBeNull();
    expect(r.tlbLog).toEqual(['page 7 36864', 'page 7 36864', 'page 7 36864']);
  });

  it('counts and returns every table frame of a root', () => {
    const r = rig();
    expect(r.mmu.countTables(r.user)).toBe(1);
    r.mmu.map(r.user, 0x1000, 0x4000_0000, attrs({}));
    r.mmu.map(r.user, 0x2000, 0x4000_0000, attrs({})); // same tables
    expect(r.mmu.countTables(r.user)).toBe(4);
    r.mmu.map(r.user, 0x4000_0000, 0x4000_0000, attrs({})); // new level-2 and level-3 tables
    r.mmu.map(r.user, 0x7f00_0000_0000, 0x4000_0000, attrs({})); // new level-1, 2, 3
    expect(r.mmu.countTables(r.user)).toBe(9);
    const frames = r.mmu.destroyRoot(r.user);
    expect(frames).toHaveLength(9);
    expect(new Set(frames).size).toBe(9);
    for (const f of frames) expect(r.allocated.has(f)).toBe(true);
    expect(frames).toContain(r.user.pa);
    expect(frames).not.toContain(r.kernel.pa);
    expect(r.tlbLog).toContain('asid 0');
  });

  it('keeps its table count equal to the tables allocated and not freed, through maps and releasing unmaps', () => {
    const r = rig();
    let x = 7;
    const rnd = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % n;
    };
    // Pages spread over a few level-3, level-2 and level-1 tables, so unmaps empty and free tables at each level.
    const vas = Array.from({ length: 64 }, (_, i) => (i % 4) * 0x80_0000_0000 + (i % 3) * 0x4000_0000 + (i % 5) * 0x20_0000 + i * 0x1000);
    const mapped = new Set<number>();
    for (let step = 0; step < 2000; step++) {
      const va = vas[rnd(vas.length)];
      if (mapped.has(va) && rnd(2) === 0) {
        r.mmu.unmap(r.user, va, true);
        mapped.delete(va);
      } else {
        r.mmu.map(r.user, va, 0x4000_0000, attrs({}));
        mapped.add(va);
      }
      // Every allocated frame is a table of the user root, except the kernel root.
      expect(r.mmu.countTables(r.user)).toBe(r.allocated.size - 1);
    }
    expect(r.mmu.destroyRoot(r.user)).toHaveLength(r.allocated.size - 1);
  });

  it('rejects unaligned and out-of-range addresses', () => {
    const r = rig();
    expect(() => r.mmu.map(r.user, 0x1234, 0x4000_0000, attrs({}))).toThrow();
    expect(() => r.mmu.map(r.user, 2 ** 48, 0x4000_0000, attrs({}))).toThrow();
    expect(() => r.mmu.map(r.user, 0x1000, 0x4000_0800, attrs({}))).toThrow();
  });
});

describe('aarch64 fault decoding', () => {
  const esr = (ec: number, iss: number) => ((ec << 26) | (1 << 25) | iss) >>> 0;
  const decode = (syndrome: number, far: bigint = 0x1234n) => {
    const v = BigInt.asUintN(64, far);
    return createAarch64Mmu(new PhysicalMemory(RAM_BASE, 65536), { alloc: () => 0, free: () => {} }, {
      invalidatePage() {},
      invalidateAsid() {},
      invalidateAll() {},
    }).decodeFault({ syndrome, addressLo: Number(v & 0xffff_ffffn), addressHi: Number(v >> 32n) });
  };

  it('decodes data aborts with WnR and the exception level', () => {
    expect(decode(esr(0x24, 0x07 | (1 << 6)), 0x40_0010n)).toEqual({ address: 0x40_0010, access: 'write', kind: 'not-present', user: true });
    expect(decode(esr(0x24, 0x0f))).toEqual({ address: 0x1234, access: 'read', kind: 'permission', user: true });
    expect(decode(esr(0x25, 0x0b | (1 << 6)))).toEqual({ address: 0x1234, access: 'write', kind: 'access-flag', user: false });
    // cache maintenance reports WnR = 1 but reads
    expect(decode(esr(0x24, 0x07 | (1 << 6) | (1 << 8)))?.access).toBe('read');
  });

  it('decodes instruction aborts as fetches', () => {
    expect(decode(esr(0x20, 0x0e))).toEqual({ address: 0x1234, access: 'fetch', kind: 'permission', user: true });
    expect(decode(esr(0x21, 0x05))).toEqual({ address: 0x1234, access: 'fetch', kind: 'not-present', user: false });
  });

  it('gives upper-half fault addresses as negative numbers', () => {
    expect(decode(esr(0x25, 0x07), 0xffff_8000_0000_1008n)?.address).toBe(-(2 ** 47) + 0x1008);
  });

  it('returns null for what the kernel does not resolve', () => {
    expect(decode(esr(0x24, 0x21))).toBeNull(); // alignment
    expect(decode(esr(0x24, 0x10))).toBeNull(); // external abort
    expect(decode(esr(0x24, 0x15))).toBeNull(); // external abort on a table walk
    expect(decode(esr(0x24, 0x02))).toBeNull(); // address size
    expect(decode(esr(0x15, 0))).toBeNull(); // SVC
    expect(decode(esr(0x22, 0))).toBeNull(); // PC alignment
  });

  it('decodes the status the walker reports for an unmapped and an old page', () => {
    const r = rig();
    r.mmu.map(r.user, 0x5000, 0x4020_0000, attrs({}), { old: true });
    for (const [va, kind] of [[0x5000n, 'access-flag'], [0x6000n, 'not-present'], [0x1_0000_0000n, 'not-present']] as const) {
      const w = r.walkAt(va);
      if (w.ok) throw new Error('expected a fault');
      const f = r.mmu.decodeFault({ syndrome: esr(0x24, faultStatusCode(w)), addressLo: Number(va & 0xffff_ffffn), addressHi: Number(va >> 32n) });
      expect(f).toEqual({ address: Number(va), access: 'read', kind, user: true });
    }
  });
});
