// Kernels linked in the upper half: the loader's p_paddr per segment, its
// checks, and the board loading segments at their physical addresses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKernel } from '../../board/virt/kernel-loader';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { parseElfImage } from '../../loader/elf-image';
import { EHDR, Mutant, PHDR, phdrAt } from '../loader/loader-fixtures';
import { BAREMETAL } from './boot-harness';

// Copied out of the Buffer: Buffer.slice (used by Mutant) shares memory.
const HIGHHALF = new Uint8Array(readFileSync(join(BAREMETAL, 'highhalf.elf')));
const LOW = new Uint8Array(readFileSync(join(BAREMETAL, 'dtb.elf')));
const HIGH = -(2 ** 39); // 0xFFFF_FF80_0000_0000 as a signed number

/** p_vaddr / p_paddr of the file's program headers, read with BigInt as an independent oracle. */
function rawLoads(bytes: Uint8Array): { vaddr: bigint; paddr: bigint }[] {
  const m = new Mutant(bytes);
  const n = m.readU16(EHDR.phnum);
  const out = [];
  for (let i = 0; i < n; i++) {
    const at = phdrAt(m, i);
    if (new DataView(m.bytes.buffer).getUint32(at, true) === 1) out.push({ vaddr: m.readU64(at + PHDR.vaddr), paddr: m.readU64(at + PHDR.paddr) });
  }
  return out;
}

function asSigned(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

describe('the loader: p_paddr and upper-half images', () => {
  it('every segment carries p_paddr; an ordinary image has paddr = vaddr', () => {
    const image = parseElfImage(LOW, { fileName: 'dtb.elf' });
    const raw = rawLoads(LOW);
    expect(image.segments.map((s) => [s.vaddr, s.paddr])).toEqual(raw.map((r) => [Number(r.vaddr), Number(r.paddr)]));
    expect(image.segments.every((s) => s.vaddr === s.paddr)).toBe(true);
  });

  it('an upper-half kernel is refused unless upperHalf is asked for', () => {
    expect(() => parseElfImage(HIGHHALF, { fileName: 'k.elf' })).toThrow(/an absurd value/);
  });

  it('with upperHalf: virtual addresses as signed numbers, physical ones as the file says', () => {
    const image = parseElfImage(HIGHHALF, { fileName: 'k.elf', upperHalf: true });
    const raw = rawLoads(HIGHHALF);
    expect(image.segments.map((s) => s.vaddr)).toEqual(raw.map((r) => asSigned(r.vaddr)));
    expect(image.segments.map((s) => s.paddr)).toEqual(raw.map((r) => Number(r.paddr)));
    expect(image.segments[0].vaddr - image.segments[0].paddr).toBe(HIGH);
    expect(image.entry).toBe(asSigned(new Mutant(HIGHHALF).readU64(EHDR.entry)));
  });

  it('rejects physical ranges that overlap or leave the 48-bit physical space, and segments that wrap', () => {
    const m = new Mutant(HIGHHALF);
    const second = phdrAt(m, 1);
    const first = phdrAt(m, 0);
    const overlap = new Mutant(HIGHHALF).u64(second + PHDR.paddr, m.readU64(first + PHDR.paddr));
    expect(() => parseElfImage(overlap.bytes, { fileName: 'k.elf', upperHalf: true })).toThrow(/overlap in physical memory/);
    const far = new Mutant(HIGHHALF).u64(second + PHDR.paddr, 1n << 48n);
    expect(() => parseElfImage(far.bytes, { fileName: 'k.elf', upperHalf: true })).toThrow(/beyond the 48-bit physical address space/);
    const wrap = new Mutant(HIGHHALF).u64(second + PHDR.vaddr, 0xffff_ffff_ffff_f000n);
    expect(() => parseElfImage(wrap.bytes, { fileName: 'k.elf', upperHalf: true })).toThrow(/wraps past the top of the address space/);
  });
});

describe('the board loads segments at their physical addresses', () => {
  it('file bytes at p_paddr, entry moved to its physical address, tree below the image', () => {
    const phys = new PhysicalMemory(0x4000_0000, 64 << 20);
    const boot = loadKernel(phys, HIGHHALF, { fileName: 'k.elf', deviceTree: () => new Uint8Array([0xd0, 0x0d, 0xfe, 0xed]) });
    const image = parseElfImage(HIGHHALF, { fileName: 'k.elf', upperHalf: true });
    expect(boot.entry).toBe(image.entry - HIGH);
    expect(boot.entry).toBe(0x4010_0000);
    const text = image.segments[0];
    expect(Array.from(phys.bytes.subarray(text.paddr - 0x4000_0000, text.paddr - 0x4000_0000 + 64))).toEqual(Array.from(text.data.subarray(0, 64)));
    expect(boot.dtbAddress).toBe(0x4000_0000);
  });

  it('a segment whose physical range is outside RAM is refused with one line', () => {
    const m = new Mutant(HIGHHALF);
    const bad = m.u64(phdrAt(m, 1) + PHDR.paddr, 0x1000_0000n);
    const phys = new PhysicalMemory(0x4000_0000, 64 << 20);
    expect(() => loadKernel(phys, bad.bytes, { fileName: 'k.elf', deviceTree: () => new Uint8Array(4) })).toThrow(/segment at physical 0x10000000 .* is outside RAM/);
  });
});
