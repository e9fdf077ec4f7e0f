// Malformed ELF files on the command line: each gets exactly one line on stderr naming the
// file and the problem, and a non-zero status; the emulator never shows a stack trace.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const HELLO = readFileSync(join(process.cwd(), 'tests/fixtures/loader/hello-nostdlib-aarch64.elf'));
const PHOFF = 64;
const PHENT = 56;

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

function runBroken(name: string, mutate: (b: Buffer) => Buffer) {
  const file = join(mkdtempSync(join(tmpdir(), 'salty-elf-')), name);
  writeFileSync(file, mutate(Buffer.from(HELLO)));
  const r = spawnSync(process.execPath, [SALTY, 'run', file], { encoding: 'utf8', timeout: 30_000 });
  return { file, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Program header i's 64-bit field at byte offset off within the header. */
function setPh(b: Buffer, i: number, off: number, value: bigint): void {
  b.writeBigUInt64LE(value, PHOFF + PHENT * i + off);
}

const P_VADDR = 16;
const P_FILESZ = 32;
const P_MEMSZ = 40;

const CASES: readonly { name: string; mutate: (b: Buffer) => Buffer; says: RegExp }[] = [
  { name: 'truncated-header', mutate: (b) => b.subarray(0, 40), says: /truncated|too short|shorter/i },
  { name: 'truncated-segment', mutate: (b) => b.subarray(0, 0x200), says: /exceeds the file size|truncated/i },
  {
    name: 'wrong-machine',
    mutate: (b) => {
      b.writeUInt16LE(243, 18); // EM_RISCV
      return b;
    },
    says: /machine|RISC-V|risc/i,
  },
  {
    name: 'overlapping',
    mutate: (b) => {
      setPh(b, 1, P_VADDR, 0x400100n);
      b.writeBigUInt64LE(0x400100n, PHOFF + PHENT + 24); // p_paddr too, for tidiness
      setPh(b, 1, 8, 0x100n); // p_offset congruent with the new vaddr
      return b;
    },
    says: /overlap/i,
  },
  {
    name: 'absurd-memsz',
    mutate: (b) => {
      setPh(b, 1, P_MEMSZ, 0xffff_ffff_ffff_0000n);
      return b;
    },
    says: /memsz|address space/i,
  },
  {
    name: 'absurd-filesz',
    mutate: (b) => {
      setPh(b, 0, P_FILESZ, 0x1_0000_0000n);
      setPh(b, 0, P_MEMSZ, 0x1_0000_0000n);
      return b;
    },
    says: /exceeds the file size/i,
  },
  {
    name: 'absurd-phnum',
    mutate: (b) => {
      b.writeUInt16LE(0xffff, 56);
      return b;
    },
    says: /program header/i,
  },
];

describe('salty run: a malformed ELF is refused in one line', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = runBroken(c.name, c.mutate);
      expect(r.stdout).toBe('');
      expect(r.status).not.toBe(0);
      expect(r.stderr.endsWith('\n')).toBe(true);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.startsWith(`salty: ${r.file}`)).toBe(true);
      expect(r.stderr).toMatch(c.says);
    });
  }
});
