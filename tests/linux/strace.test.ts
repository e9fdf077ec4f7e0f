// --strace against qemu-aarch64 -strace: after the program's first write the
// lines must agree once the pid and the addresses (which differ between the
// two address-space layouts) are masked. Unit checks cover the decoders the
// program does not reach.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodes, formatCall, formatResult, type StraceMemory } from '../../kernel/linux/strace';
import { SYSCALL_ROWS } from '../../kernel/linux/syscall-table';
import { runProgram } from '../../tools/cli/run-program';
import { existsSync } from 'node:fs';
import { BINARIES } from '../realworld/binaries';
import { FIXTURES, hasQemu } from './run-fixture';
import { compareTraces, masked, traceLines } from './strace-compare';

function straceOnSalty(name: string, file = join(FIXTURES, `${name}.elf`), args: string[] = []): { stderr: string; stdout: string; status: number } {
  let stdout = '';
  let stderr = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args, argv0: name, env: [], memoryBytes: 64 << 20, strace: true, stats: false },
    { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr: (d) => (stderr += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return { stdout, stderr, status };
}

/** The lines from the first write to stdout on, with the pid and addresses masked. */
function comparable(trace: string): string[] {
  const lines = trace.split('\n').filter((l) => /^\d+ /.test(l));
  const pid = lines[0]?.split(' ')[0] ?? '';
  const body = lines.map((l) => l.slice(pid.length + 1));
  const from = body.findIndex((l) => l.startsWith('write(1,'));
  return body.slice(from).map((l) => l.replace(new RegExp(`\\b${pid}\\b`, 'g'), 'PID').replace(/0x[0-9a-f]+/g, '0x?'));
}

describe('--strace', () => {
  it('prints what qemu-aarch64 -strace prints for the same calls (recorded golden)', () => {
    const got = straceOnSalty('strace');
    expect(got.status).toBe(3);
    const want = comparable(readFileSync(join(FIXTURES, 'strace.strace-golden'), 'utf8'));
    expect(want.length).toBeGreaterThan(20);
    expect(comparable(got.stderr)).toEqual(want);
  });

  it.skipIf(!hasQemu)('live: the same lines as qemu-aarch64 -strace now', () => {
    const q = spawnSync('qemu-aarch64', ['-strace', join(FIXTURES, 'strace.elf')], { encoding: 'utf8', input: '' });
    expect(comparable(straceOnSalty('strace').stderr)).toEqual(comparable(q.stderr));
  });

  it('prints each signal taken as qemu does (si_code, si_addr, SIGCHLD status; pids masked)', () => {
    const mask = (lines: string[]): string[] => lines.map((l) => l.replace(/si_pid=\d+/, 'si_pid=?'));
    const got = straceOnSalty('signals').stderr.split('\n').filter((l) => l.startsWith('--- '));
    const want = readFileSync(join(FIXTURES, 'signals.strace-golden'), 'utf8').trimEnd().split('\n');
    expect(want.length).toBeGreaterThan(5);
    expect(mask(got)).toEqual(mask(want));
  });

  it('prints queued realtime signals with their si_sigval, in the order their frames are set up (recorded golden)', () => {
    const mask = (lines: string[]): string[] => lines.map((l) => l.replace(/si_pid=\d+/, 'si_pid=?'));
    const got = straceOnSalty('rtsignals').stderr.split('\n').filter((l) => l.startsWith('--- '));
    const want = readFileSync(join(FIXTURES, 'rtsignals.strace-golden'), 'utf8').trimEnd().split('\n');
    expect(want.filter((l) => l.includes('si_sigval=')).length).toBeGreaterThan(6);
    expect(mask(got)).toEqual(mask(want));
  });

  it('names a syscall salty does not implement and shows ENOSYS', () => {
    const mem: StraceMemory = { readString: () => '', read: (_a, n) => new Uint8Array(n) };
    expect(formatCall('io_setup', [1, 2, 3, 4, 5, 6], mem) + formatResult('io_setup', -38, mem, [])).toBe('io_setup(1,2,3,4,5,6) = -1 errno=38 (Function not implemented)');
  });

  it('decodes clone flags with the exit signal left over in hex, and execve argv', () => {
    const strings = new Map([[0x1000, '/bin/sh'], [0x2000, 'sh'], [0x3000, '-c']]);
    const words = new Map([[0x4000, 0x2000], [0x4008, 0x3000], [0x4010, 0]]);
    const mem: StraceMemory = {
      readString: (a) => strings.get(a) ?? '',
      read: (a, n) => {
        const b = new Uint8Array(n);
        new DataView(b.buffer).setUint32(0, words.get(a) ?? 0, true);
        return b;
      },
    };
    expect(formatCall('clone', [0x1200011, 0, 0, 0, 0x4980d0, 0], mem)).toBe(
      'clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11,child_stack=0x0000000000000000,parent_tidptr=0x0000000000000000,tls=0x0000000000000000,child_tidptr=0x00000000004980d0)',
    );
    expect(formatCall('execve', [0x1000, 0x4000, 0, 0, 0, 0], mem)).toBe('execve("/bin/sh",{"sh","-c",NULL})');
    expect(formatCall('futex', [0x4a20e0, 0x189, 0, 0, 0, 0], mem)).toBe('futex(0x00000000004a20e0,FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME|FUTEX_WAIT_BITSET,0,NULL,NULL,0)');
    expect(formatCall('rt_sigaction', [6, 0, 0x55008003b8, 8, 0, 0], mem)).toBe('rt_sigaction(SIGIOT,NULL,0x00000055008003b8)');
  });

  it('prints a blocked call once, with the result it wakes with', () => {
    const got = straceOnSalty('restart');
    const reads = got.stderr.split('\n').filter((l) => / read\(/.test(l));
    expect(reads.length).toBeGreaterThan(0);
    for (const l of reads) expect(l).toMatch(/^\d+ read\(\d+,0x[0-9a-f]+,\d+\) = (-1 errno=\d+ \([^)]+\)|\d+)$/);
  });
});

describe('--strace: every implemented call in its own types', () => {
  it('strace-calls: the lines qemu decodes are the same, the calls it prints raw have the same name and result (recorded golden)', () => {
    const want = traceLines(readFileSync(join(FIXTURES, 'strace-calls.strace-golden'), 'utf8'));
    const got = traceLines(straceOnSalty('strace-calls').stderr);
    expect(want.length).toBeGreaterThan(60);
    expect(compareTraces(want, got)).toEqual([]);
  });

  it.skipIf(!hasQemu)('live: strace-calls against qemu-aarch64 -strace now', () => {
    const q = spawnSync('qemu-aarch64', ['-strace', join(FIXTURES, 'strace-calls.elf')], { encoding: 'utf8', input: '' });
    expect(compareTraces(traceLines(q.stderr), traceLines(straceOnSalty('strace-calls').stderr))).toEqual([]);
  });

  for (const name of ['files', 'links', 'pipesize']) {
    it(`${name}: the whole trace, start-up included, against qemu-aarch64 -strace (recorded golden)`, () => {
      const want = traceLines(readFileSync(join(FIXTURES, `${name}.strace-golden`), 'utf8'), false);
      expect(want.length).toBeGreaterThan(40);
      expect(compareTraces(want, traceLines(straceOnSalty(name).stderr, false))).toEqual([]);
    });
  }

  it('prints what strace-calls.c passes to the calls qemu 7.2 leaves undecoded', () => {
    const all = traceLines(straceOnSalty('strace-calls').stderr, false).map(masked);
    const want = [
      'set_tid_address(0x?) = PID',
      'prlimit64(0,RLIMIT_STACK,(nil),0x?) = 0',
      'sendto(4,0x?,4,MSG_NOSIGNAL,(nil),0) = 4',
      'recvfrom(5,0x?,64,MSG_DONTWAIT,(nil),(nil)) = 4',
      'getsockopt(4,SOL_SOCKET,SO_TYPE,0x?,0x?) = 0',
      'setsockopt(4,SOL_SOCKET,SO_PASSCRED,0x?,4) = 0',
      'shutdown(4,SHUT_WR) = 0',
      'getsockname(3,0x?,0x?) = 0',
      'socketpair(PF_UNIX,SOCK_DGRAM,IPPROTO_IP,0x?) = 0',
      'sendmsg(3,0x?,0) = 3',
      'pipe2(0x?,O_NONBLOCK|O_CLOEXEC) = 0',
      'readv(3,0x?,1) = -1 errno=14 (Bad address)',
      'ppoll(0x?,1,{tv_sec = 0,tv_nsec = 0},(nil),8) = 1',
      'wait4(-1,(nil),WNOHANG,(nil)) = -1 errno=10 (No child processes)',
      'prlimit64(0,RLIMIT_NOFILE,(nil),0x?) = 0',
      'mremap(0x?,4096,8192,MREMAP_MAYMOVE,NULL) = 0x?',
      'msync(0x?,4096,MS_SYNC) = 0',
      'rt_sigpending(0x?,8) = 0',
      'rt_sigtimedwait(0x?,0x?,{tv_sec = 0,tv_nsec = 0},8) = 10',
    ];
    for (const line of want) expect(all).toContain(line);
  });

  it('has argument kinds for every call either arch implements', () => {
    const implemented = SYSCALL_ROWS.filter((r) => r.handler !== null).map((r) => r.name);
    expect(implemented.length).toBeGreaterThan(150);
    expect(implemented.filter((n) => !decodes(n))).toEqual([]);
  });

  it('names socket flags, levels and options, and leaves unknown values in numbers', () => {
    const mem: StraceMemory = { readString: () => '', read: (_a, n) => new Uint8Array(n) };
    expect(formatCall('socket', [10, 0o2004002, 6, 0, 0, 0], mem)).toBe('socket(PF_INET6,SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC,6)');
    expect(formatCall('getsockopt', [3, 6, 99, 0, 0, 0], mem)).toBe('getsockopt(3,SOL_TCP,99,(nil),(nil))');
    expect(formatCall('accept4', [3, 0, 0, 0o2000000, 0, 0], mem)).toBe('accept4(3,(nil),(nil),O_CLOEXEC)');
    expect(formatCall('fcntl', [3, 999, 5, 0, 0, 0], mem)).toBe('fcntl(3,999,5)');
    expect(formatCall('wait4', [-1, 0, 0x40000002, 0, 0, 0], mem)).toBe('wait4(-1,(nil),WUNTRACED|__WALL,(nil))');
  });

  const busybox = BINARIES.busybox.path;
  it.skipIf(!hasQemu || !existsSync(busybox))('live: busybox wc and ls under qemu-aarch64 -strace and salty --strace', () => {
    const dir = join(FIXTURES, 'shell');
    for (const args of [['wc', '-l', join(FIXTURES, 'strace-calls.c')], ['ls', dir]]) {
      const q = spawnSync('qemu-aarch64', ['-strace', '-0', 'busybox', busybox, ...args], { encoding: 'utf8', input: '' });
      const got = traceLines(straceOnSalty('busybox', busybox, args).stderr, false);
      expect(got.length).toBeGreaterThan(15);
      expect(compareTraces(traceLines(q.stderr, false), got), args.join(' ')).toEqual([]);
    }
  });
});
