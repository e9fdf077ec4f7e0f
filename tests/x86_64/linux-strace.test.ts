// `salty run --strace` on x86_64 programs, line by line against
// qemu-x86_64 -strace on the same binaries (goldens NAME.qemu-strace in
// tests/fixtures/linux-x86_64, recorded by build.sh; compared live too where
// qemu-x86_64 is installed). The lines must name x86_64's calls by x86_64's
// numbers (open, access, arch_prctl, time, the vsyscall page's calls...) in
// the same order with the same results; the arguments must be equal where
// both print a call the same way (both typed, or both as qemu's six raw
// decimals). Unstable parts are normalised: the thread id, and addresses and
// times (any number from 0x800000 up: stacks and mmap areas differ between
// the two, the program image at 0x400000 does not).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFlagsFromUser } from '../../kernel/linux/arch-abi';
import { formatCall, type StraceMemory } from '../../kernel/linux/strace';
import { OPEN_FLAGS, X86_64_OPEN_FLAGS } from '../../kernel/linux/strace-flags';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/fixtures/linux-x86_64');
const STDIN = 'pear\napple\nfig\n';
const PROGRAMS = ['raw', 'strace.musl', 'vsyscall'] as const;
const hasQemu = spawnSync('qemu-x86_64', ['-version']).status === 0;
/** strace.musl makes and removes fixed paths under the host's /tmp, as the aarch64 suite's live qemu run of the same program does: not run live. */
const HOST_TMP = new Set<string>(['strace.musl']);

interface Line {
  readonly name: string;
  readonly args: string;
  readonly result: string;
  readonly text: string;
}

function saltyTrace(name: string): string {
  const file = join(DIR, `${name}.elf`);
  let stderr = '';
  let input = Buffer.from(STDIN);
  runProgram(
    { file, bytes: readFileSync(file), args: [], env: ['PATH=/bin:/usr/bin'], memoryBytes: 64 << 20, strace: true, stats: false },
    {
      writeOut: () => undefined,
      writeErr: (d) => (stderr += Buffer.from(d).toString()),
      readIn: (max) => {
        const b = input.subarray(0, max);
        input = input.subarray(b.length);
        return b;
      },
      isTty: () => false,
    },
  );
  return stderr;
}

/** The trace's call and signal lines (not salty's or qemu's own messages), normalised. */
function parse(trace: string): Line[] {
  const lines = trace.split('\n').filter((l) => /^\d+ /.test(l) || l.startsWith('--- '));
  const tid = lines.find((l) => /^\d+ /.test(l))?.split(' ')[0] ?? '';
  return lines.map((raw) => {
    let l = raw.replace(/^\d+ /, '');
    if (tid) l = l.replace(new RegExp(`\\b${tid}\\b`, 'g'), 'TID');
    l = l.replace(/\b(0x[0-9a-f]+|\d+)\b/g, (n) => (Number(n) >= 0x800000 && !/^0x0*ffffffffff6/.test(n) ? 'N' : n));
    const unknown = /^Unknown syscall (\d+)$/.exec(l);
    if (unknown) return { name: `syscall_${unknown[1]}`, args: '', result: '', text: l };
    const call = /^([a-z_0-9]+)\((.*?)\)(?: = (\S+).*)?$/.exec(l);
    if (!call) return { name: l, args: '', result: '', text: l };
    return { name: call[1], args: call[2], result: call[3] ?? '', text: l };
  });
}

const isRaw = (args: string): boolean => /^-?\w+(,-?\w+){5}$/.test(args);

/** Differences between salty's and qemu's lines; loose lists the calls compared by name and result only. */
function differences(got: Line[], want: Line[]): { diffs: string[]; loose: Set<string> } {
  const diffs: string[] = [];
  const loose = new Set<string>();
  if (got.length !== want.length) diffs.push(`${got.length} lines, qemu has ${want.length}`);
  for (let i = 0; i < Math.min(got.length, want.length); i++) {
    const g = got[i];
    const w = want[i];
    if (g.name !== w.name) {
      diffs.push(`line ${i + 1}: ${g.text} | qemu: ${w.text}`);
      break;
    }
    // salty prints no result for a call qemu cannot name.
    if (g.result !== w.result && w.result !== '') diffs.push(`line ${i + 1}: result ${g.result}, qemu ${w.result}`);
    if (isRaw(g.args) === isRaw(w.args) && g.args !== w.args) diffs.push(`line ${i + 1}: ${g.text} | qemu: ${w.text}`);
    if (isRaw(g.args) !== isRaw(w.args)) loose.add(g.name);
  }
  return { diffs, loose };
}

describe('--strace on x86_64 against qemu-x86_64 -strace', () => {
  for (const name of PROGRAMS) {
    it(`${name}: the same calls, results and arguments as the golden`, () => {
      const golden = join(DIR, `${name}.qemu-strace`);
      expect(existsSync(golden)).toBe(true);
      const got = parse(saltyTrace(name));
      const { diffs, loose } = differences(got, parse(readFileSync(golden, 'utf8')));
      expect(diffs).toEqual([]);
      // Most lines are compared whole; the calls one side types and the other prints raw are few.
      expect(loose.size).toBeLessThanOrEqual(4);
    });

    it.runIf(hasQemu && !HOST_TMP.has(name))(`${name}: the golden is what qemu-x86_64 prints now`, () => {
      const r = spawnSync('qemu-x86_64', ['-strace', join(DIR, `${name}.elf`)], { input: STDIN, encoding: 'utf8', cwd: DIR });
      const { diffs } = differences(parse(r.stderr), parse(readFileSync(join(DIR, `${name}.qemu-strace`), 'utf8')));
      expect(diffs).toEqual([]);
    });
  }

  it("names x86_64's own calls with their x86_64 arguments", () => {
    const raw = parse(saltyTrace('raw'));
    const names = raw.map((l) => l.name);
    expect(names.filter((n) => n === 'arch_prctl')).toHaveLength(2);
    // ARCH_SET_FS then ARCH_GET_FS, whichever way the code prints.
    expect(raw.filter((l) => l.name === 'arch_prctl').map((l) => Number(l.args.split(',')[0]))).toEqual([0x1002, 0x1003]);
    expect(raw.find((l) => l.name === 'open')?.text).toMatch(/ = -1 errno=2 \(No such file or directory\)$/);
    expect(raw.find((l) => l.name === 'access')?.result).toBe('0');
    expect(raw.find((l) => l.name === 'syscall_9999')?.text).toMatch(/errno=38/);
    expect(names.at(-1)).toBe('exit');
    const musl = parse(saltyTrace('strace.musl'));
    // O_DIRECTORY is 0x10000 on x86_64 (O_DIRECT on arm64): named by the caller's arch.
    expect(musl.map((l) => l.text)).toContain('openat(-100,"/tmp",O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 3');
    const vs = parse(saltyTrace('vsyscall'));
    expect(vs.slice(0, 2).map((l) => [l.name, l.result])).toEqual([
      ['gettimeofday', '0'],
      ['gettimeofday', '0'],
    ]);
    expect(vs.filter((l) => l.name === 'time')).toHaveLength(3);
  });

  it('names open flags by their x86_64 values, in open, openat and fcntl F_SETFL', () => {
    const mem: StraceMemory = { readString: () => '/tmp', read: (_a, n) => new Uint8Array(n) };
    // O_DIRECTORY 0o200000, O_NOFOLLOW 0o400000, O_LARGEFILE 0o100000, O_DIRECT 0o40000 on x86_64.
    expect(formatCall('open', [0x1000, 0o700000 | 0o2000000, 0, 0, 0, 0], mem, 'x86_64')).toBe('open("/tmp",O_RDONLY|O_DIRECTORY|O_LARGEFILE|O_NOFOLLOW|O_CLOEXEC)');
    expect(formatCall('openat', [-100, 0x1000, 0o40000 | 0o1101, 0o644, 0, 0], mem, 'x86_64')).toBe('openat(AT_FDCWD,"/tmp",O_WRONLY|O_CREAT|O_TRUNC|O_DIRECT,0644)');
    expect(formatCall('fcntl', [3, 4, 0o40000 | 0o2000 | 0o4000 | 0o100000, 0, 0, 0], mem, 'x86_64')).toBe('fcntl(3,F_SETFL,O_RDONLY|O_APPEND|O_LARGEFILE|O_NONBLOCK|O_DIRECT)');
    // The same bits are other flags on arm64.
    expect(formatCall('fcntl', [3, 4, 0o40000, 0, 0, 0], mem, 'aarch64')).toBe('fcntl(3,F_SETFL,O_RDONLY|O_DIRECTORY)');
    // The x86_64 names agree with the kernel's conversion of x86_64 flags to its own (arm64) values.
    const byName = new Map(OPEN_FLAGS.map(([v, n]) => [n, v]));
    for (const [x86, name] of X86_64_OPEN_FLAGS) expect([name, openFlagsFromUser('x86_64', x86)]).toEqual([name, byName.get(name)]);
  });
});
