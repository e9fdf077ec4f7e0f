import { describe, expect, it } from 'vitest';
import { Pmm } from '../../kernel/mm/pmm';
import { Untyped } from '../../kernel/mm/untyped';
import { OBJECT_SIZE } from '../../kernel/mm/kernel-object';

const BASE = 0x4000_0000;
function pmm16(): Pmm {
  return new Pmm({ ramBase: BASE, ramSize: 16 << 20, reserved: [{ base: BASE, size: 0x1800, owner: 'kernel-image' }] });
}

describe('PMM', () => {
  it('tags reserved ranges, rounding partial frames out', () => {
    const p = pmm16();
    expect(p.ownerOf(BASE + 0x1000)).toBe('kernel-image');
    expect(p.ownerOf(BASE + 0x2000)).toBe('free');
    expect(p.audit()).toMatchObject({ 'kernel-image': 2, free: 4096 - 2 });
  });

  it('checks the owner on free and refuses a double free', () => {
    const p = pmm16();
    const pa = p.alloc('mo-data');
    expect(() => p.free(pa, 'page-table')).toThrow(/owned by MemoryObject data/);
    p.free(pa, 'mo-data');
    expect(() => p.free(pa, 'mo-data')).toThrow(/owned by free/);
    p.audit();
  });

  it('allocates aligned contiguous runs and reports exhaustion', () => {
    const p = pmm16();
    const run = p.allocContiguous(16, 16, 'untyped-reserved');
    expect((run - BASE) % (16 * 4096)).toBe(0);
    for (let i = 0; i < 16; i++) expect(p.ownerOf(run + i * 4096)).toBe('untyped-reserved');
    expect(() => p.allocContiguous(4096, 1, 'mo-data')).toThrow(/no 4096 contiguous free frames/);
    const all: number[] = [];
    expect(() => { for (;;) all.push(p.alloc('mo-data')); }).toThrow(/no free frame/);
    expect(new Set(all).size).toBe(all.length);
    expect(p.audit()).toMatchObject({ free: 0, 'mo-data': 4096 - 18 });
  });

  it('finds the single free frames left in nearly full RAM, lowest first after a free, in any bit of a bitmap word', () => {
    const p = pmm16();
    const all: number[] = [];
    for (let i = 0; i < 4096 - 2; i++) all.push(p.alloc('mo-data'));
    expect(() => p.alloc('mo-data')).toThrow(/no free frame/);
    // Frames 3999, 2016 and 1009 (all[i] is frame i + 2): bits 31, 0 and 17 of their bitmap words.
    const freed = [all[3997], all[2014], all[1007]].sort((a, b) => b - a);
    for (const pa of freed) p.free(pa, 'mo-data');
    const again = [p.alloc('mo-data'), p.alloc('mo-data'), p.alloc('mo-data')];
    expect(again).toEqual([...freed].sort((a, b) => a - b));
    expect(() => p.alloc('mo-data')).toThrow(/no free frame/);
    expect(p.audit()).toMatchObject({ free: 0 });
  });
});

describe('Untyped', () => {
  it('carves objects by watermark with natural alignment and reuses freed slots by size', () => {
    const p = pmm16();
    const u = new Untyped(p, 16);
    const ep = u.retype('endpoint');
    const th = u.retype('thread');
    expect(ep.pa).toBe(u.pa);
    expect(th.pa - u.pa).toBe(OBJECT_SIZE.thread);
    const vs = u.retype('vspace');
    expect((vs.pa - u.pa) % 4096).toBe(0);
    expect(p.ownerOf(vs.pa)).toBe('page-table');
    expect(p.ownerOf(ep.pa)).toBe('kernel-object');
    u.deleteObject(th);
    expect(u.retype('thread').pa).toBe(th.pa);
    expect(u.usedBytes).toBe(64 + 1024 + 4096);
  });

  it('refuses reset with live children; revoke destroys them and returns the memory', () => {
    const p = pmm16();
    const before = p.audit();
    const u = new Untyped(p, 13);
    const destroyed: string[] = [];
    for (const t of ['cspace', 'memory-object', 'endpoint'] as const) u.retype(t).onDestroy = () => destroyed.push(t);
    expect(() => u.reset()).toThrow(/3 objects still live/);
    expect(() => u.retype('cspace')).toThrow(/no room/);
    u.revoke();
    expect(destroyed.sort()).toEqual(['cspace', 'endpoint', 'memory-object']);
    expect(p.stats()['untyped-reserved']).toBe(2);
    expect(u.retype('cspace').pa).toBe(u.pa);
    u.destroy();
    expect(p.audit()).toEqual(before);
  });
});
