// Credentials, permission checks and /proc, by our own programs (build.sh):
// perms (EACCES/EPERM after dropping root), creds (the id calls and
// capabilities) and procfacts (/proc against the calls reporting the same
// facts) print what qemu-aarch64 printed as root (the goldens), on both
// arches (the x86_64 builds print the same, as the host kernel does). The
// guest starts as root here whatever the host user is: the tests stub the
// host's ids that salty's first process takes. procdump shows /proc files
// whose formats are checked against the host's /proc and Linux's layouts.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/proc-creds');
const PROGRAMS = ['perms', 'creds', 'procfacts'] as const;

interface Outcome {
  stdout: string;
  status: number;
}

function runOnSalty(elf: string, argv0: string, args: string[]): Outcome {
  const file = join(DIR, elf);
  let stdout = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args, argv0, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false },
    { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return { stdout, status };
}

const golden = (name: string): Outcome => ({ stdout: readFileSync(join(DIR, `${name}.golden`), 'utf8'), status: Number(readFileSync(join(DIR, `${name}.status`), 'utf8').trim()) });

const hasQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;

beforeAll(() => {
  vi.spyOn(process, 'getuid').mockReturnValue(0);
  vi.spyOn(process, 'getgid').mockReturnValue(0);
  vi.spyOn(process, 'getgroups').mockReturnValue([0]);
});
afterAll(() => vi.restoreAllMocks());

describe('credentials and permissions against the goldens', () => {
  for (const name of PROGRAMS) {
    it(`${name} (aarch64) prints what Linux printed`, () => {
      expect(runOnSalty(`${name}.elf`, name, ['a', 'b'])).toEqual(golden(name));
    }, 120_000);
    it(`${name} (x86_64) prints the same`, () => {
      expect(runOnSalty(`${name}.x86_64.elf`, name, ['a', 'b'])).toEqual(golden(name));
    }, 120_000);
  }
});

// The goldens were recorded as root; qemu-user passes the id calls to the host, so a live run needs root too.
describe.runIf(hasQemu && isRoot)('live against qemu-aarch64', () => {
  for (const name of PROGRAMS) {
    it(`${name} agrees with qemu-aarch64 now`, () => {
      const r = spawnSync('setsid', ['-w', 'qemu-aarch64', '-0', name, join(DIR, `${name}.elf`), 'a', 'b'], { encoding: 'utf8' });
      expect(runOnSalty(`${name}.elf`, name, ['a', 'b'])).toEqual({ stdout: r.stdout, status: r.status });
    }, 120_000);
  }
});

describe('pid_max', () => {
  it('bounds the ids fork hands out, which wrap to 300 as on Linux', () => {
    const out = runOnSalty('pidwrap.elf', 'pidwrap', []);
    expect(out.status).toBe(0);
    const max = Number(/^pid_max (\d+)$/m.exec(out.stdout)![1]);
    const pids = [...out.stdout.matchAll(/^child (\d+)$/gm)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(8);
    expect(pids.every((p) => p < max)).toBe(true);
    const wrapped = pids.findIndex((p) => p < max - 10);
    expect(pids.slice(wrapped)).toEqual([300, 301, 302, 303, 304].slice(0, 8 - wrapped));
  });
});

/** The files procdump printed, by path. */
function dump(elf: string, paths: string[]): Map<string, string> {
  const out = runOnSalty(elf, 'procdump', paths).stdout;
  const files = new Map<string, string>();
  const parts = out.split(/^== (.*)\n/m);
  for (let i = 1; i < parts.length; i += 2) files.set(parts[i], parts[i + 1]);
  return files;
}

const labels = (text: string, sep: RegExp): string[] => text.split('\n').filter(Boolean).map((l) => l.split(sep)[0]);

/** Whether every label of ours appears in the host's list, in the same order. */
function inHostOrder(ours: string[], host: string[]): boolean {
  let at = 0;
  for (const l of ours) {
    const i = host.indexOf(l, at);
    if (i < 0) return false;
    at = i + 1;
  }
  return true;
}

const hostFile = (p: string): string | null => (existsSync(p) ? readFileSync(p, 'utf8') : null);

describe('/proc formats', () => {
  const paths = ['/proc/meminfo', '/proc/self/status', '/proc/self/stat', '/proc/self/statm', '/proc/cpuinfo', '/proc/uptime', '/proc/loadavg', '/proc/stat', '/proc/self/mountinfo', '/proc/filesystems'];
  for (const arch of ['aarch64', 'x86_64'] as const) {
    describe(arch, () => {
      let f: Map<string, string>;
      beforeAll(() => {
        f = dump(arch === 'aarch64' ? 'procdump.elf' : 'procdump.x86_64.elf', paths);
      });

      it('meminfo: "Label:" padded to 16 columns, the value to 8, " kB"; labels in the host kernel\'s order', () => {
        const lines = f.get('/proc/meminfo')!.split('\n').filter(Boolean);
        for (const l of lines) {
          if (l.startsWith('HugePages_')) expect(l, l).toMatch(/^HugePages_\w+: +\d+$/);
          else expect(l, l).toMatch(/^[A-Za-z0-9_()]+: +\d+ kB$/);
          if (!l.startsWith('HugePages_') && l.length <= 27) expect(l.length, l).toBe(27);
        }
        const host = hostFile('/proc/meminfo');
        if (host) expect(inHostOrder(labels(f.get('/proc/meminfo')!, /:/), labels(host, /:/))).toBe(true);
        expect(lines[0]).toMatch(/^MemTotal: +262144 kB$/);
      });

      it('status: "Label:\\tvalue" lines in the host kernel\'s order, sizes in kB', () => {
        const text = f.get('/proc/self/status')!;
        for (const l of text.split('\n').filter(Boolean)) expect(l, l).toMatch(/^[A-Za-z_]+:\t/);
        expect(text).toMatch(/^Name:\tprocdump[.a-z0-9_]*\nUmask:\t0022\nState:\tR \(running\)\nTgid:\t(\d+)\nNgid:\t0\nPid:\t\1\n/);
        expect(text).toMatch(/\nVmRSS:\t +\d+ kB\n/);
        expect(text).toMatch(/\nSigBlk:\t[0-9a-f]{16}\n/);
        const host = hostFile('/proc/self/status');
        if (host) expect(inHostOrder(labels(text, /:/), labels(host, /:/))).toBe(true);
      });

      it('stat has the 52 fields of Linux 6.1, statm 7', () => {
        const stat = f.get('/proc/self/stat')!.trim();
        expect(stat).toMatch(/^\d+ \(procdump[.a-z0-9_]*\) R \d+ /);
        expect(stat.split(' ')).toHaveLength(52);
        expect(f.get('/proc/self/statm')!).toMatch(/^(\d+ ){6}\d+\n$/);
      });

      it('uptime, loadavg, stat and mountinfo have the layouts the host has', () => {
        const formats: [string, RegExp][] = [
          ['/proc/uptime', /^\d+\.\d\d \d+\.\d\d\n$/],
          ['/proc/loadavg', /^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/],
          ['/proc/self/mountinfo', /^(\d+ \d+ \d+:\d+ \S+ \S+ \S+( \S+)* - \S+ \S+ \S+\n)+$/],
          ['/proc/stat', /^cpu  (\d+ ){9}\d+\ncpu0 (\d+ ){9}\d+\n/],
        ];
        for (const [p, re] of formats) {
          expect(f.get(p), p).toMatch(re);
          const host = hostFile(p);
          if (host) expect(host, `host ${p}`).toMatch(re);
        }
        expect(f.get('/proc/filesystems')).toMatch(/^(nodev)?\t\w+\n/);
      });

      it('cpuinfo in the arch\'s Linux layout, from the CPU\'s identification', () => {
        const text = f.get('/proc/cpuinfo')!;
        if (arch === 'aarch64') {
          expect(text).toBe('processor\t: 0\nBogoMIPS\t: 125.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd07\nCPU revision\t: 0\n\n');
        } else {
          expect(text).toMatch(/^processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 0\nmodel name\t: Salty x86-64 interpreter\n/);
          expect(text).toMatch(/\nflags\t\t: fpu tsc cx8 cmov clflush mmx fxsr sse sse2 syscall nx lm pni ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm\n/);
          const host = hostFile('/proc/cpuinfo');
          if (host?.includes('vendor_id')) expect(inHostOrder(labels(text, /\t*:/), labels(host.split('\n\n')[0], /\t*:/))).toBe(true);
        }
      });
    });
  }
});
