// The command line as a user meets it: the built bundle in dist/ (npm test builds it first).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const SALTY = join(process.cwd(), 'dist/salty.mjs');

function salty(...args: string[]) {
  const r = spawnSync(process.execPath, [SALTY, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('salty run: bad input gets one clear line', () => {
  it('names a missing file', () => {
    const r = salty('run', '/nonexistent/prog');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('salty: /nonexistent/prog: no such file\n');
  });

  it('names what is wrong with a file that is not an ELF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salty-cli-'));
    const file = join(dir, 'notelf');
    writeFileSync(file, 'hello, this is text\n');
    const r = salty('run', file);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/not an ELF/i);
  });

  it('rejects a machine it has no backend for, with the machine named', () => {
    // The x86_64 fixture with e_machine rewritten to EM_RISCV (243).
    const bytes = readFileSync(join(process.cwd(), 'tests/fixtures/loader/hello-nostdlib-x86_64.elf'));
    bytes.writeUInt16LE(243, 18);
    const file = join(mkdtempSync(join(tmpdir(), 'salty-cli-')), 'riscv.elf');
    writeFileSync(file, bytes);
    const r = salty('run', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('riscv');
  });

  it('rejects a bad -m', () => {
    const r = salty('run', '-m', 'lots');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('-m lots');
  });

  it('rejects -m past 4G with a message, not a host exception', () => {
    const r = salty('run', '-m', '4097M', 'tests/hostile/kobj-oom-storm.elf', '1', '1');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('salty: -m 4097M: RAM must be between 1M and 4G, a multiple of 64K\n');
  });

  it('runs an aarch64 program at -m 4G and -m 4096M: MemTotal is 4 GiB less the CPU slot (448 KiB at its top)', () => {
    for (const m of ['4G', '4096M']) {
      const r = salty('run', '-m', m, 'tests/mem4g/top-of-ram.elf', 'meminfo');
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`MemTotal:        ${4 * 1024 * 1024 - 448} kB\nsysinfo totalram ${2 ** 32 - 448 * 1024} bytes\n`);
      expect(r.status).toBe(0);
    }
  });
});

describe('salty run: the built-in demo', () => {
  it('prints what qemu-aarch64 prints for the same ELF', () => {
    const golden = readFileSync('tests/fixtures/demo/demo.golden', 'utf8');
    const r = salty('run');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(golden);
    expect(r.status).toBe(0);
  });

  it('reports the tiers with --stats: demand faults for the pages the demo touches', () => {
    const r = salty('run', '--stats');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/instructions retired: \d+/);
    const demand = Number(/demand (\d+)/.exec(r.stderr)?.[1]);
    // Before the fork 128 bss pages + 128 mmap pages + 16 heap pages are touched, plus text, data and
    // stack; after it the child's reads of the 224 shared pages it did not write map them again in its
    // own VSpace (the 32 it wrote are copy-on-write faults instead).
    expect(demand).toBeGreaterThanOrEqual(272 + 224);
    expect(demand).toBeLessThan(600);
  });

  it('reports the copy-on-write copies the forked child makes', () => {
    const r = salty('run', '--stats');
    expect(r.status).toBe(0);
    const copies = Number(/COW copies (\d+)/.exec(r.stderr)?.[1]);
    const cowFaults = Number(/copy-on-write (\d+)/.exec(r.stderr)?.[1]);
    // The child writes 32 pages it shares with the parent; the stacks of both sides add a few more.
    expect(copies).toBeGreaterThanOrEqual(32);
    expect(copies).toBeLessThan(40);
    expect(cowFaults).toBeGreaterThanOrEqual(copies);
    expect(r.stdout).toMatch(/parent: child exited with 7, bss checksum 0x[0-9a-f]+ \(unchanged\)/);
  });
});
