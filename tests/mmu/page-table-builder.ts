// Test-side builders of VMSAv8-64 descriptors and registers, written from the Arm ARM
// independently of the kernel backend (BigInt is fine here: tests only).

import { PhysicalMemory } from '../../board/memory/physical-memory';
import type { Stage1Regs } from '../../board/aarch64/mmu/types';

export const RAM_BASE = 0x4000_0000;

export const bit = (n: number): bigint => 1n << BigInt(n);

// Lower and upper attribute fields of block/page descriptors.
export const D = {
  valid: bit(0),
  tableOrPage: bit(1),
  attrIndx: (i: number) => BigInt(i) << 2n,
  ap: (ap21: number) => BigInt(ap21) << 6n,
  af: bit(10),
  nG: bit(11),
  pxn: bit(53),
  uxn: bit(54),
  pxnTable: bit(59),
  uxnTable: bit(60),
  apTableNoEl0: bit(61),
  apTableReadOnly: bit(62),
};

export function pageDesc(pa: bigint, attrs: bigint = D.af): bigint {
  return pa | attrs | D.valid | D.tableOrPage;
}

export function blockDesc(pa: bigint, attrs: bigint = D.af): bigint {
  return pa | attrs | D.valid;
}

export function tableDesc(pa: bigint, attrs = 0n): bigint {
  return pa | attrs | D.valid | D.tableOrPage;
}

export function writeDesc(mem: PhysicalMemory, pa: bigint, desc: bigint): void {
  mem.write64(Number(pa), Number(desc & 0xffff_ffffn), Number(desc >> 32n));
}

export interface RegOptions {
  t0sz?: number;
  t1sz?: number;
  tg0?: number; // raw TG0 field
  tg1?: number; // raw TG1 field
  epd0?: boolean;
  epd1?: boolean;
  a1?: boolean;
  ips?: number;
  as16?: boolean;
  tbi0?: boolean;
  tbi1?: boolean;
  ttbr0?: bigint;
  ttbr1?: bigint;
  mair?: bigint;
  wxn?: boolean;
}

export function makeRegs(o: RegOptions): Stage1Regs {
  let tcr = BigInt(o.t0sz ?? 16) | (BigInt(o.t1sz ?? 16) << 16n);
  tcr |= BigInt(o.tg0 ?? 0) << 14n;
  tcr |= BigInt(o.tg1 ?? 2) << 30n;
  if (o.epd0) tcr |= bit(7);
  if (o.epd1) tcr |= bit(23);
  if (o.a1) tcr |= bit(22);
  tcr |= BigInt(o.ips ?? 5) << 32n;
  if (o.as16) tcr |= bit(36);
  if (o.tbi0) tcr |= bit(37);
  if (o.tbi1) tcr |= bit(38);
  const ttbr0 = o.ttbr0 ?? 0n;
  const ttbr1 = o.ttbr1 ?? 0n;
  const mair = o.mair ?? 0xffn; // attr 0 = Normal write-back, the rest Device-nGnRnE
  const lo = (v: bigint) => Number(v & 0xffff_ffffn);
  const hi = (v: bigint) => Number((v >> 32n) & 0xffff_ffffn);
  return {
    sctlrLo: 1 | (o.wxn ? 1 << 19 : 0),
    tcrLo: lo(tcr),
    tcrHi: hi(tcr),
    ttbr0Lo: lo(ttbr0),
    ttbr0Hi: hi(ttbr0),
    ttbr1Lo: lo(ttbr1),
    ttbr1Hi: hi(ttbr1),
    mairLo: lo(mair),
    mairHi: hi(mair),
  };
}

export function vaHalves(va: bigint): [number, number] {
  return [Number(va & 0xffff_ffffn), Number((va >> 32n) & 0xffff_ffffn)];
}

/**
 * Builds translation tables for one granule in RAM: tables are taken from a bump
 * allocator (each aligned to the granule), and map() fills in the path to a leaf.
 */
export class TableBuilder {
  readonly mem: PhysicalMemory;
  readonly grain: number;
  readonly inputBits: number;
  readonly root: bigint;
  readonly startLevel: number;
  private next: bigint;

  constructor(mem: PhysicalMemory, grain: number, inputBits: number, firstFree = BigInt(RAM_BASE)) {
    this.mem = mem;
    this.grain = grain;
    this.inputBits = inputBits;
    this.next = firstFree;
    let level = 3;
    while (this.shiftOf(level) + BigInt(grain - 3) < BigInt(inputBits)) level--;
    this.startLevel = level;
    this.root = this.allocTable();
  }

  shiftOf(level: number): bigint {
    return BigInt(this.grain + (3 - level) * (this.grain - 3));
  }

  allocTable(): bigint {
    const pa = this.next;
    this.next += 1n << BigInt(this.grain);
    this.mem.fill(Number(pa), 1 << this.grain, 0);
    return pa;
  }

  descAddr(table: bigint, level: number, va: bigint): bigint {
    const entriesBits = level === this.startLevel ? BigInt(this.inputBits) - this.shiftOf(level) : BigInt(this.grain - 3);
    const index = (va >> this.shiftOf(level)) & ((1n << entriesBits) - 1n);
    return table + index * 8n;
  }

  /** Table descriptor address at `level` on the way to va, creating tables above it. tableAttrs go into every table descriptor created. */
  slot(va: bigint, level: number, tableAttrs = 0n): bigint {
    let table = this.root;
    for (let l = this.startLevel; l < level; l++) {
      const addr = this.descAddr(table, l, va);
      const lo = BigInt(this.mem.read64lo(Number(addr)));
      const hi = BigInt(this.mem.read64hi(Number(addr)));
      const cur = (hi << 32n) | lo;
      if ((cur & 3n) === 3n) {
        table = cur & 0xffff_ffff_f000n & ~((1n << BigInt(this.grain)) - 1n);
      } else {
        const t = this.allocTable();
        writeDesc(this.mem, addr, tableDesc(t, tableAttrs));
        table = t;
      }
    }
    return this.descAddr(table, level, va);
  }

  set(va: bigint, level: number, desc: bigint, tableAttrs = 0n): void {
    writeDesc(this.mem, this.slot(va, level, tableAttrs), desc);
  }
}

export function smallRam(): PhysicalMemory {
  return new PhysicalMemory(RAM_BASE, 4 * 1024 * 1024);
}
