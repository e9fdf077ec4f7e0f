import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_PIE_LOAD_BASE, parseElfImage } from '../../loader/elf-image';
import type { ProgramImage } from '../../loader/program-image';
import { EHDR, FIXTURE_DIR, fixture, hasTool, Mutant } from './loader-fixtures';

const AARCH64 = 'hello-nostdlib-aarch64.elf';
const AARCH64_PIE = 'hello-nostdlib-pie-aarch64.elf';
const X86_64 = 'hello-nostdlib-x86_64.elf';

interface ReadelfLoad {
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: string;
  align: number;
}

/** The PT_LOAD lines of `readelf -lW`, an independent oracle for the segment table. */
function readelfLoads(path: string): ReadelfLoad[] {
  const text = execFileSync('readelf', ['-lW', path], { encoding: 'utf8' });
  return text
    .split('\n')
    .filter((line) => /^\s+LOAD\s/.test(line))
    .map((line) => {
      const f = line.trim().split(/\s+/);
      const align = f[f.length - 1];
      const flags = f.slice(6, f.length - 1).join('');
      return {
        offset: Number(f[1]),
        vaddr: Number(f[2]),
        filesz: Number(f[4]),
        memsz: Number(f[5]),
        flags,
        align: Number(align),
      };
    });
}

function readelfEntry(path: string): number {
  const text = execFileSync('readelf', ['-hW', path], { encoding: 'utf8' });
  const match = /Entry point address:\s+(0x[0-9a-f]+)/.exec(text);
  if (match === null) throw new Error('readelf printed no entry point');
  return Number(match[1]);
}

function flagString(image: ProgramImage, i: number): string {
  const f = image.segments[i].flags;
  return `${f.read ? 'R' : ''}${f.write ? 'W' : ''}${f.execute ? 'E' : ''}`;
}

function expectMatchesReadelf(path: string, image: ProgramImage): void {
  const loads = readelfLoads(path);
  expect(image.segments.length).toBe(loads.length);
  loads.forEach((load, i) => {
    const s = image.segments[i];
    expect(s.fileOffset).toBe(load.offset);
    expect(s.vaddr).toBe(load.vaddr + image.loadBase);
    expect(s.filesz).toBe(load.filesz);
    expect(s.memsz).toBe(load.memsz);
    expect(s.align).toBe(load.align);
    expect(flagString(image, i)).toBe(load.flags);
  });
  expect(image.entry).toBe(readelfEntry(path) + image.loadBase);
}

/** Reads a 32-bit little-endian word the image maps at `address`, or null when no segment's file bytes cover it. */
function wordAt(image: ProgramImage, address: number): number | null {
  const s = image.segments.find((seg) => address >= seg.vaddr && address + 4 <= seg.vaddr + seg.filesz);
  if (s === undefined) return null;
  return new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength).getUint32(address - s.vaddr, true);
}

function expectCommonShape(bytes: Uint8Array, image: ProgramImage): void {
  for (const s of image.segments) {
    expect(s.data.length).toBe(s.filesz);
    expect(Array.from(s.data)).toEqual(Array.from(bytes.subarray(s.fileOffset, s.fileOffset + s.filesz)));
  }
  const text = image.segments.find((s) => s.flags.execute);
  expect(text).toBeDefined();
  expect(image.entry).toBeGreaterThanOrEqual(text!.vaddr);
  expect(image.entry).toBeLessThan(text!.vaddr + text!.memsz);
  // AT_PHDR must point at the mapped copy of the program headers.
  const phoff = Number(new Mutant(bytes).readU64(EHDR.phoff));
  expect(image.phdrAddress).not.toBeNull();
  const table = bytes.subarray(phoff, phoff + image.phnum * image.phent);
  const holder = image.segments.find((s) => image.phdrAddress! >= s.vaddr && image.phdrAddress! < s.vaddr + s.filesz)!;
  const mapped = holder.data.subarray(image.phdrAddress! - holder.vaddr, image.phdrAddress! - holder.vaddr + table.length);
  expect(Array.from(mapped)).toEqual(Array.from(table));
  expect(image.phent).toBe(56);
}

/** Facts fixed by hello-nostdlib.c: data_counter = 7, an 8 KiB bss buffer, tls_counter = 5, non-executable stack. */
function expectHelloSourceFacts(image: ProgramImage): void {
  const data = image.segments.find((s) => s.flags.write)!;
  expect(data.flags.execute).toBe(false);
  expect(data.memsz - data.filesz).toBeGreaterThanOrEqual(8192);
  const words = Array.from({ length: data.filesz >> 2 }, (_, i) => wordAt(image, data.vaddr + i * 4));
  expect(words).toContain(7);
  expect(image.tls).not.toBeNull();
  expect(image.tls!.memsz).toBe(4);
  expect(new DataView(image.tls!.data.buffer, image.tls!.data.byteOffset).getUint32(0, true)).toBe(5);
  expect(image.gnuStack).toEqual({ read: true, write: true, execute: false });
}

describe('parseElfImage on committed fixtures', () => {
  test('static aarch64 (-nostdlib) parses as an ET_EXEC image', () => {
    const bytes = fixture(AARCH64);
    const image = parseElfImage(bytes, { fileName: AARCH64, expectedMachine: 'aarch64' });
    expect(image.machine).toBe('aarch64');
    expect(image.type).toBe('exec');
    expect(image.loadBase).toBe(0);
    expect(image.fileName).toBe(AARCH64);
    expectCommonShape(bytes, image);
    expectHelloSourceFacts(image);
  });

  test('static-pie aarch64 is relocated by the load base given, and only by it', () => {
    const bytes = fixture(AARCH64_PIE);
    const at0 = parseElfImage(bytes, { loadBase: 0 });
    const base = 0x5555_0000_0000;
    const moved = parseElfImage(bytes, { loadBase: base });
    expect(moved.type).toBe('pie');
    expect(moved.loadBase).toBe(base);
    expect(moved.entry).toBe(at0.entry + base);
    expect(moved.phdrAddress).toBe(at0.phdrAddress! + base);
    expect(moved.tls!.vaddr).toBe(at0.tls!.vaddr + base);
    moved.segments.forEach((s, i) => {
      expect(s.vaddr).toBe(at0.segments[i].vaddr + base);
      expect(s.memsz).toBe(at0.segments[i].memsz);
      expect(s.fileOffset).toBe(at0.segments[i].fileOffset);
    });
    expectCommonShape(bytes, moved);
    expectHelloSourceFacts(moved);
  });

  test('static-pie without a load base goes to the default base', () => {
    const image = parseElfImage(fixture(AARCH64_PIE));
    expect(image.loadBase).toBe(DEFAULT_PIE_LOAD_BASE);
    expect(image.segments[0].vaddr).toBeGreaterThanOrEqual(DEFAULT_PIE_LOAD_BASE);
  });

  test('static x86_64 (-nostdlib) parses with machine x86_64', () => {
    const bytes = fixture(X86_64);
    const image = parseElfImage(bytes, { fileName: X86_64, expectedMachine: 'x86_64' });
    expect(image.machine).toBe('x86_64');
    expect(image.type).toBe('exec');
    expectCommonShape(bytes, image);
    expectHelloSourceFacts(image);
  });

  test('accepts a Uint8Array view that does not start at offset 0 of its buffer', () => {
    const bytes = fixture(AARCH64);
    const padded = new Uint8Array(bytes.length + 24);
    padded.set(bytes, 24);
    const view = padded.subarray(24);
    expect(parseElfImage(view)).toEqual(parseElfImage(bytes));
  });

  test.runIf(hasTool('readelf'))('segments and entry agree with readelf -lW', () => {
    for (const name of [AARCH64, AARCH64_PIE, X86_64]) {
      const path = join(FIXTURE_DIR, name);
      const image = parseElfImage(fixture(name), { loadBase: 0x7000_0000 });
      expectMatchesReadelf(path, image);
    }
  });
});

const CROSS_GCC = 'aarch64-linux-gnu-gcc';
const HELLO_C = '#include <stdio.h>\nint main(int argc, char **argv) { printf("hello %d\\n", argc); return 0; }\n';

/** glibc static binaries are ~600 KiB, too big to commit: build them into a temporary directory. */
function buildGlibcHello(flags: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'salty-loader-'));
  const source = join(dir, 'hello.c');
  execFileSync('sh', ['-c', `cat > ${source}`], { input: HELLO_C });
  const out = join(dir, 'hello.elf');
  execFileSync(CROSS_GCC, [...flags, '-O2', '-o', out, source]);
  return out;
}

describe.runIf(hasTool(CROSS_GCC) && hasTool('readelf'))('parseElfImage on glibc static binaries built now', () => {
  test('-static -O2', () => {
    const path = buildGlibcHello(['-static']);
    const bytes = new Uint8Array(readFileSync(path));
    const image = parseElfImage(bytes, { fileName: path, expectedMachine: 'aarch64' });
    expect(image.type).toBe('exec');
    expect(image.tls).not.toBeNull();
    expectCommonShape(bytes, image);
    expectMatchesReadelf(path, image);
  });

  test('-static-pie -O2', () => {
    const path = buildGlibcHello(['-static-pie']);
    const bytes = new Uint8Array(readFileSync(path));
    const image = parseElfImage(bytes, { fileName: path, loadBase: 0x40_0000_0000 });
    expect(image.type).toBe('pie');
    expectCommonShape(bytes, image);
    expectMatchesReadelf(path, image);
  });
});
