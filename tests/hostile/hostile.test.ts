// Hostile guests of our own (tests/hostile/*.c, built by build.sh): each
// runs as a child salty process, gets Linux's errors (or the OOM kill),
// prints at most a few lines, ends in under 30 s of CPU, and keeps the host
// process's peak RSS under 1.5 x -m + 150 MB; `--audit` then checks the
// PMM and that no process left frames behind. limits.elf checks each
// resource limit against the host kernel's answers (limits.golden).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(process.cwd(), 'tests/hostile');
const SALTY = join(process.cwd(), 'dist/salty.mjs');
const MIB = 1 << 20;

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  /** CPU seconds of the salty process (user + system): what the run costs, whatever else loads the machine. */
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

/** Runs salty on a guest as a child process and measures its peak RSS. */
export function runHostile(elf: string, memory: string, args: string[] = [], extra: string[] = []): Run {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'salty-hostile-')), 'peak');
  const r = spawnSync(process.execPath, ['--require', join(DIR, 'peak-rss.cjs'), SALTY, 'run', '-m', memory, '--audit', ...extra, join(DIR, elf), ...args], {
    env: { ...process.env, SALTY_PEAK_RSS_FILE: rssFile },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const [kib, cpu] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, cpuSeconds: cpu, peakRssBytes: kib * 1024 };
}

function expectBounded(r: Run, memoryBytes: number): void {
  expect(r.stderr).toMatch(/salty: audit: ok\n$/);
  expect(r.stderr.split('\n').length - 1).toBeLessThanOrEqual(3);
  expect(r.cpuSeconds).toBeLessThan(30);
  expect(r.peakRssBytes).toBeLessThan(1.5 * memoryBytes + 150 * MIB);
}

const golden = (name: string): string => readFileSync(join(DIR, `${name}.golden`), 'utf8');

describe('hostile guests', () => {
  it('a file bomb fills the writable layer to what statfs promised, gets ENOSPC, and deleting gives the space and inodes back', () => {
    const r = runHostile('filebomb.elf', '64M');
    // tmpfs's defaults: half of RAM (32 MiB) and half of its pages as inodes, one taken by the bomb's directory.
    expect(r.stdout).toBe(
      [
        'filebomb: ENOSPC after 32768 KiB; statfs promised 32768 KiB; now 0 KiB free',
        'filebomb: fallocate on a full layer -1 ENOSPC',
        'filebomb: deleted: free space back to what it was',
        'filebomb: ENOSPC after 8191 files (statfs promised 8191 inodes); mkdir -1 ENOSPC',
        'filebomb: deleted: inodes back to what they were',
        '',
      ].join('\n'),
    );
    expectBounded(r, 64 * MIB);
  }, 150_000);

  it('--root-size sizes the writable layer', () => {
    const r = runHostile('filebomb.elf', '64M', [], ['--root-size', '8M']);
    expect(r.stdout).toMatch(/^filebomb: ENOSPC after 8192 KiB; statfs promised 8192 KiB; now 0 KiB free$/m);
    expectBounded(r, 64 * MIB);
  }, 150_000);

  it('a descriptor bomb gets EMFILE at RLIMIT_NOFILE for files, pipes and socket pairs, as the host kernel does', () => {
    const r = runHostile('fdbomb.elf', '64M');
    expect(r.stdout).toBe(golden('fdbomb'));
    expectBounded(r, 64 * MIB);
  }, 150_000);

  it('an mmap bomb gets ENOMEM at RLIMIT_AS and, never overcommitting, for a mapping larger than RAM; the toucher is killed when RAM runs out', () => {
    const r = runHostile('mmapbomb.elf', '256M');
    expect(r.stdout).toBe(
      [
        'mmapbomb: RLIMIT_AS 256M: ENOMEM after more than 200 regions of 1M',
        'mmapbomb: never overcommit: one 64G private writable mapping: ENOMEM',
        'mmapbomb: the toucher was killed (SIGKILL)',
        '',
      ].join('\n'),
    );
    // kobj-charge's OOM killer names the process it chose, as Linux does.
    expect(r.stderr).toMatch(/^salty: Out of memory: Killed process \d+ \(mmapbomb\.elf\) total-vm:\d+kB, anon-rss:\d+kB/m);
    expectBounded(r, 256 * MIB);
  }, 150_000);

  it('a signal flood gets EAGAIN at RLIMIT_SIGPENDING, counted per user, as the host kernel does', () => {
    const r = runHostile('sigflood.elf', '64M');
    expect(r.stdout).toBe(golden('sigflood'));
    expectBounded(r, 64 * MIB);
  }, 150_000);
});

describe('resource limits give the host kernel\'s errors', () => {
  const parts = ['fsize', 'nofile', 'as', 'data', 'stack', 'nproc', 'sigpending', 'memlock'];
  it(`limits.elf ${parts.join(' ')}`, () => {
    const r = runHostile('limits.elf', '256M', parts);
    expect(r.stdout).toBe(golden('limits'));
    expect(r.stderr).toBe('salty: audit: ok\n');
  }, 150_000);

  it(`limits.x86_64.elf ${parts.join(' ')} (the PC machine)`, () => {
    const r = runHostile('limits.x86_64.elf', '256M', parts);
    expect(r.stdout).toBe(golden('limits'));
    expect(r.stderr).toBe('salty: audit: ok\n');
  }, 150_000);

  it('kernel-limits.elf e2big: execve refuses arguments past a quarter of RLIMIT_STACK (pointers included) with E2BIG, as the host kernel does', () => {
    const r = runHostile('kernel-limits.elf', '256M', ['e2big']);
    expect(r.stdout).toBe(golden('kernel-limits').split('\n').filter((l) => l.startsWith('e2big')).map((l) => `${l}\n`).join(''));
    expect(r.stderr).toBe('salty: audit: ok\n');
  }, 300_000);

  it('kernel-limits.elf rtkill timers inotify: queued signals and POSIX timers count against RLIMIT_SIGPENDING per user, as the host kernel does', () => {
    const r = runHostile('kernel-limits.elf', '64M', ['rtkill', 'timers', 'inotify']);
    expect(r.stdout).toBe(golden('kernel-limits').split('\n').filter((l) => /^(rtkill|timers|inotify):/.test(l)).map((l) => `${l}\n`).join(''));
    expect(r.stderr).toBe('salty: audit: ok\n');
  }, 150_000);

  // Not recorded on the host (it would lower the host's file-max); Linux's alloc_empty_file: ENFILE past fs.file-max unless CAP_SYS_ADMIN.
  it('kernel-limits.elf enfile: open file descriptions past fs.file-max are ENFILE for an unprivileged user', () => {
    const r = runHostile('kernel-limits.elf', '64M', ['enfile']);
    expect(r.stdout).toBe(
      [
        'enfile: as nobody, refused after at most 200 open files in the system: ENFILE',
        'enfile: dup of an open file still works: 100 of 100',
        'enfile: as root, 400 more opens pass (CAP_SYS_ADMIN), then stopped',
        'enfile: file-nr shows at least 400 open: yes, 0 free, max 200',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('salty: audit: ok\n');
  }, 150_000);

  // Not recorded on the host (they change its sysctls); Linux's rules: pid_max must exceed RESERVED_PIDS (300),
  // ids wrap to 300, fork is EAGAIN when no id is free or nr_threads reached threads-max.
  it('limits.elf pidmax threadsmax (kernel.pid_max and kernel.threads-max, written through /proc/sys)', () => {
    const r = runHostile('limits.elf', '64M', ['pidmax', 'threadsmax']);
    expect(r.stdout).toBe(
      [
        'pid_max: 300 refused (it must exceed RESERVED_PIDS, 300)',
        'pid_max: now 400',
        'pid_max: fork refused with EAGAIN after 100 children (ids 300 to 399)',
        'threads-max: fork refused with EAGAIN after 49 children (threads-max 50, the parent counts)',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('salty: audit: ok\n');
  }, 150_000);
});
