// Assembles x86-64 source (GNU as, Intel syntax) for the CPU tests, caching
// the bytes in x86-asm-cache.json (committed) so tests run without a toolchain.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CACHE = join(__dirname, 'x86-asm-cache.json');
let cache: Record<string, string> | undefined;

function loadCache(): Record<string, string> {
  cache ??= existsSync(CACHE) ? (JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, string>) : {};
  return cache;
}

/** The machine code of Intel-syntax source lines (labels allowed), linked at `origin`. */
export function x86asm(source: string, origin = 0x40_0000): Uint8Array {
  const body = source.trim().split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
  const text = `${origin.toString(16)}\n${body}`;
  // Long generated sources are keyed by their hash to keep the cache small.
  const key = text.length > 200 ? `sha1:${createHash('sha1').update(text).digest('hex')}` : text;
  const c = loadCache();
  if (c[key] !== undefined) return Uint8Array.from(Buffer.from(c[key], 'hex'));
  const dir = mkdtempSync(join(tmpdir(), 'salty-x86asm-'));
  try {
    writeFileSync(join(dir, 'a.s'), `.intel_syntax noprefix\n.text\n${body}\n`);
    execFileSync('as', ['--64', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('ld', [`-Ttext=0x${origin.toString(16)}`, '-e', `0x${origin.toString(16)}`, '-o', join(dir, 'a.elf'), join(dir, 'a.o')]);
    execFileSync('objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.elf'), join(dir, 'a.bin')]);
    const bin = readFileSync(join(dir, 'a.bin'));
    c[key] = bin.toString('hex');
    writeFileSync(CACHE, JSON.stringify(c, Object.keys(c).sort(), 1));
    return Uint8Array.from(bin);
  } catch (e) {
    throw new Error(`cannot assemble (are binutils for x86_64 installed?):\n${body}\n${String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
