// The syscall table against the kernel's own headers where the machine has
// them (the numbers are facts of the ABI, checked here from a second source).

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SYSCALL_ROWS, syscallTable } from '../../kernel/linux/syscall-table';

const X86_HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
const GENERIC_HEADER = '/usr/include/asm-generic/unistd.h';

/** `#define __NR_name number` lines of a header. */
function defines(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of readFileSync(file, 'utf8').matchAll(/#define __NR(?:3264)?_(\w+)\s+(\d+)\b/g)) out.set(m[1], Number(m[2]));
  return out;
}

/** asm-generic calls its stat pair fstatat and fstat through __NR3264 names. */
const GENERIC_ALIASES: Record<string, string> = { newfstatat: 'fstatat' };

describe('syscall table', () => {
  it('gives each number on each arch one row', () => {
    expect(() => syscallTable('aarch64')).not.toThrow();
    expect(() => syscallTable('x86_64')).not.toThrow();
  });

  it('names the same call by both numbers', () => {
    const a = syscallTable('aarch64');
    const x = syscallTable('x86_64');
    expect([a.name(63), x.name(0)]).toEqual(['read', 'read']);
    expect([a.name(80), x.name(5)]).toEqual(['fstat', 'fstat']);
    expect(x.name(158)).toBe('arch_prctl');
    expect(a.row(2)?.name).toBe('io_submit');
    expect(x.name(2)).toBe('open');
    expect(a.name(9999)).toBe('syscall_9999');
  });

  it.skipIf(!existsSync(X86_HEADER))('has the x86_64 numbers of the host kernel headers', () => {
    const nr = defines(X86_HEADER);
    const rows = SYSCALL_ROWS.filter((r) => r.x86_64 !== null);
    for (const r of rows) expect([r.name, r.x86_64]).toEqual([r.name, nr.get(r.name)]);
    const named = new Set(rows.map((r) => r.name));
    expect([...nr.keys()].filter((n) => !named.has(n))).toEqual([]);
  });

  it.skipIf(!existsSync(GENERIC_HEADER))('has the asm-generic numbers of the host kernel headers', () => {
    const nr = defines(GENERIC_HEADER);
    for (const r of SYSCALL_ROWS.filter((x) => x.aarch64 !== null)) {
      expect([r.name, r.aarch64]).toEqual([r.name, nr.get(GENERIC_ALIASES[r.name] ?? r.name)]);
    }
  });

  it('gives every implemented x86_64-only call a handler built on an asm-generic one', () => {
    const x = syscallTable('x86_64');
    for (const name of ['open', 'stat', 'lstat', 'access', 'pipe', 'dup2', 'fork', 'vfork', 'poll', 'select', 'unlink', 'mkdir', 'rename', 'getdents', 'time', 'alarm', 'pause']) {
      expect([name, typeof x.handler(x.numberOf(name)!)]).toEqual([name, 'function']);
    }
  });
});
