// The kernel-object ledger: kinds hold whole frames of the PMM (owner 'kobj')
// for the bytes charged to them, a charge the PMM cannot cover takes nothing,
// the reserve keeps asked-for charges off the last frames, and the audit sees
// any disagreement with the PMM.

import { describe, expect, it } from 'vitest';
import { KobjLedger } from '../../kernel/mm/kobj-ledger';
import { OutOfFrames, Pmm } from '../../kernel/mm/pmm';

const BASE = 0x4000_0000;
const pmmOf = (frames: number): Pmm => new Pmm({ ramBase: BASE, ramSize: frames * 4096, reserved: [] });

describe('kobj ledger', () => {
  it('holds ceil(bytes / 4096) frames per kind and gives them back as bytes are released', () => {
    const pmm = pmmOf(64);
    const l = new KobjLedger(pmm);
    const acct = { kobjBytes: 0 };
    l.charge('task', 8192, acct);
    l.charge('task', 100, acct);
    l.charge('vma', 256);
    expect(pmm.stats().kobj).toBe(4);
    expect(acct.kobjBytes).toBe(8292);
    l.audit();
    l.release('task', 100, acct);
    expect(pmm.stats().kobj).toBe(3);
    l.release('task', 8192, acct);
    l.release('vma', 256);
    expect(pmm.stats().kobj).toBe(0);
    expect(pmm.freeFrames).toBe(64);
    expect(acct.kobjBytes).toBe(0);
    l.audit();
    expect(l.figures().find((k) => k.kind === 'task')).toEqual({ kind: 'task', bytes: 0, frames: 0, peakBytes: 8292 });
  });

  it('a charge the PMM cannot cover fails and takes nothing; the reserve is kept only when asked', () => {
    const pmm = pmmOf(8);
    const l = new KobjLedger(pmm);
    l.reserveFrames = 2;
    expect(l.tryCharge('kernel-stack', 7 * 4096, undefined, true)).toBe(false);
    expect(pmm.freeFrames).toBe(8);
    expect(l.tryCharge('kernel-stack', 6 * 4096, undefined, true)).toBe(true);
    expect(l.tryCharge('task', 4096, undefined, true)).toBe(false);
    expect(l.tryCharge('task', 2 * 4096)).toBe(true);
    expect(pmm.freeFrames).toBe(0);
    expect(() => l.charge('vma', 1)).toThrow(OutOfFrames);
    expect(l.bytesOf('vma')).toBe(0);
    l.audit();
  });

  it('refuses to release more than was charged, and the audit sees a frame taken from it behind its back', () => {
    const pmm = pmmOf(8);
    const l = new KobjLedger(pmm);
    l.charge('descriptor', 320);
    expect(() => l.release('descriptor', 321)).toThrow(/only 320 charged/);
    const stray = pmm.alloc('kobj');
    expect(() => l.audit()).toThrow(/1 frames in kinds, 1 counted, 2 owned 'kobj'/);
    pmm.free(stray, 'kobj');
    l.audit();
  });
});
