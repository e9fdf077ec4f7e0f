import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'loader');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURE_DIR, name)));
}

/** True when `command --version` runs: used to skip live checks on machines without the tool. */
export function hasTool(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A copy of `bytes` with little-endian fields rewritten, for malformed-file tests. */
export class Mutant {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(original: Uint8Array) {
    this.bytes = original.slice();
    this.view = new DataView(this.bytes.buffer);
  }

  u8(offset: number, value: number): this {
    this.view.setUint8(offset, value);
    return this;
  }

  u16(offset: number, value: number): this {
    this.view.setUint16(offset, value, true);
    return this;
  }

  u32(offset: number, value: number): this {
    this.view.setUint32(offset, value, true);
    return this;
  }

  u64(offset: number, value: bigint): this {
    this.view.setBigUint64(offset, value, true);
    return this;
  }

  readU64(offset: number): bigint {
    return this.view.getBigUint64(offset, true);
  }

  readU16(offset: number): number {
    return this.view.getUint16(offset, true);
  }
}

/** Offsets of ELF64 header and program-header fields, from the ELF specification. */
export const EHDR = { type: 16, machine: 18, version: 20, entry: 24, phoff: 32, phentsize: 54, phnum: 56 } as const;
export const PHDR = { type: 0, flags: 4, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40, align: 48 } as const;

export function phdrAt(m: Mutant, index: number): number {
  return Number(m.readU64(EHDR.phoff)) + index * m.readU16(EHDR.phentsize);
}

/** Index of the n-th program header of the given p_type. */
export function findPhdr(m: Mutant, type: number, nth = 0): number {
  const count = m.readU16(EHDR.phnum);
  let seen = 0;
  for (let i = 0; i < count; i++) {
    const view = new DataView(m.bytes.buffer);
    if (view.getUint32(phdrAt(m, i), true) === type && seen++ === nth) return i;
  }
  throw new Error(`no program header of type ${type}`);
}
