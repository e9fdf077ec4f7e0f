// Assembles A64 source lines for unit tests with the cross assembler, caching
// the encodings in asm-cache.json (committed) so tests run without a toolchain.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CACHE = join(__dirname, 'asm-cache.json');
let cache: Record<string, number[]> | undefined;

function loadCache(): Record<string, number[]> {
  cache ??= existsSync(CACHE) ? (JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, number[]>) : {};
  return cache;
}

/** Encodings of a sequence of instructions (one per line, labels allowed), linked at 0x4000_0000. */
export function asm(source: string): number[] {
  const key = source.trim().split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
  const c = loadCache();
  if (c[key]) return c[key];
  const dir = mkdtempSync(join(tmpdir(), 'salty-asm-'));
  try {
    writeFileSync(join(dir, 'a.s'), `.arch armv8.1-a+crypto+crc+rdm+fp16\n${key}\n`);
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    // Linked at the test machine's load address so PC-relative relocations resolve.
    execFileSync('aarch64-linux-gnu-ld', ['-Ttext=0x40000000', '-e', '0x40000000', '-o', join(dir, 'a.elf'), join(dir, 'a.o')]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.elf'), join(dir, 'a.bin')]);
    const bin = readFileSync(join(dir, 'a.bin'));
    const words: number[] = [];
    for (let i = 0; i < bin.length; i += 4) words.push(bin.readUInt32LE(i));
    c[key] = words;
    writeFileSync(CACHE, JSON.stringify(c, Object.keys(c).sort(), 1));
    return words;
  } catch (e) {
    throw new Error(`cannot assemble (is aarch64-linux-gnu-as installed?):\n${key}\n${String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
