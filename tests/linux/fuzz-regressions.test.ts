// What the syscall fuzzer found, one call each on a fresh fuzzing process
// (tools/fuzz), with the answer the host kernel gives (checked with a native
// x86_64 program of the same calls). Each of these once threw a host
// exception (a RangeError, a VSpace range assertion, a TypeError on an
// unknown signal's handler, a host ENOENT) or ran for minutes.

import { describe, expect, it } from 'vitest';
import { ARENA, RW_END } from '../../tools/fuzz/fuzz-arena';
import { SyscallFuzzer } from '../../tools/fuzz/syscall-fuzzer';

const EINVAL = 22;
const ENOMEM = 12;
const EFBIG = 27;
const AT_FDCWD = -100;
const AT_EMPTY_PATH = 0x1000;
const MREMAP_MAYMOVE = 1;
const MAP_FIXED_PRIVATE_ANON = 0x32;
const SIGCHLD = 17;
const CLONE_PARENT_SETTID = 0x100000;

function freshProcess(arch: 'aarch64' | 'x86_64') {
  const f = new SyscallFuzzer({ arch, seed: 1, calls: 0 });
  const e = f.newEpoch();
  const call = (name: string, ...args: number[]): number | null => f.call(e.t, name, args, false);
  return { f, e, call };
}

for (const arch of ['aarch64', 'x86_64'] as const) {
  describe(`syscall fuzzer regressions (${arch})`, () => {
    it('close_range with a first descriptor past 2^31 is EINVAL at once, not a loop from -2^31', () => {
      const { call } = freshProcess(arch);
      const t0 = performance.now();
      expect(call('close_range', -(2 ** 31), 11, 0)).toBe(-EINVAL);
      expect(call('close_range', -1, 11, 0)).toBe(-EINVAL);
      expect(performance.now() - t0).toBeLessThan(1000);
    });

    it('memory calls with ranges past the user half answer errnos', () => {
      const { call } = freshProcess(arch);
      const top = arch === 'aarch64' ? 2 ** 48 : 2 ** 47;
      expect(call('mprotect', ARENA, -100, 1)).toBe(-ENOMEM);
      expect(call('munmap', -4096, 4096)).toBe(-EINVAL);
      expect(call('munmap', top, 11)).toBe(-EINVAL);
      expect(call('mmap', -4096, 4096, 3, MAP_FIXED_PRIVATE_ANON, -1, 0)).toBe(-ENOMEM);
      expect(call('msync', ARENA, -1, 0)).toBe(0);
      expect(call('madvise', ARENA, -1, 4)).toBe(-EINVAL);
      expect(call('mremap', ARENA, 0, 4096, MREMAP_MAYMOVE, 0)).toBe(-EINVAL);
      expect(call('mremap', ARENA, 4096, 4096, 0xe72b9439, 0)).toBe(-EINVAL);
    });

    it('getrandom: unknown flags are EINVAL; a huge count fills up to the first fault', () => {
      const { call } = freshProcess(arch);
      expect(call('getrandom', ARENA, 16, 0x100)).toBe(-EINVAL);
      expect(call('getrandom', RW_END - 32, -1, 0)).toBe(32);
    });

    it('truncate to a negative length is EINVAL; a huge one makes a sparse file (no host allocation), past the file limit EFBIG', () => {
      const { e, call } = freshProcess(arch);
      const a = e.path('/tmp/fz/a');
      expect(call('truncate', a, -1)).toBe(-EINVAL);
      expect(call('truncate', a, 2 ** 48)).toBe(0);
      expect(call('truncate', a, 2 ** 53)).toBe(-EFBIG);
      const fd = call('openat', AT_FDCWD, a, 2, 0)!;
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(call('pwrite64', fd, ARENA, 7, 2 ** 53 - 1)).toBe(-EFBIG);
      expect(call('ftruncate', fd, 2 ** 40)).toBe(0);
      // Reads of the holes, and lseek's SEEK_HOLE, over the sparse file answer at once.
      expect(call('pread64', fd, ARENA, 64, 2 ** 39)).toBe(64);
      expect(call('lseek', fd, 2 ** 39, 4)).toBe(2 ** 39);
      expect(call('ftruncate', fd, 0)).toBe(0);
    });

    it('clone with an exit signal past 64, or a bad parent tid address, still makes the child', () => {
      const { f, call } = freshProcess(arch);
      const child = call('clone', 100, 0, 0, 0, 0)!;
      expect(child).toBeGreaterThan(0);
      const bad = call('clone', SIGCHLD | CLONE_PARENT_SETTID, 0, 16, 0, 0)!;
      expect(bad).toBeGreaterThan(0);
      f.endEverything();
      expect(f.sys.internalErrors).toEqual([]);
    });

    it('recvfrom with a length past 2^63 takes what is queued; sendfile with such a count is EINVAL', () => {
      const { e, call } = freshProcess(arch);
      const pair = ARENA + 4 * 4096 + 3072;
      expect(call('socketpair', 1, 1, 0, pair)).toBe(0);
      const [a, b] = [0, 4].map((o) => new DataView(e.p.mem.user.read(pair + o, 4).buffer).getInt32(0, true));
      expect(call('write', a, ARENA, 5)).toBe(5);
      expect(call('recvfrom', b, ARENA + 8192, -100, 0, 0, 0)).toBe(5);
      expect(call('pipe2', pair, 0)).toBe(0);
      const [r, w] = [0, 4].map((o) => new DataView(e.p.mem.user.read(pair + o, 4).buffer).getInt32(0, true));
      expect(call('write', w, ARENA, 7)).toBe(7);
      const out = call('openat', AT_FDCWD, e.path('/tmp/fz/a'), 2, 0)!;
      expect(call('sendfile', out, r, 0, -4096)).toBe(-EINVAL);
      // A pipe as sendfile's input is EINVAL on Linux 6.1 (no splice_read); a regular file moves its bytes.
      expect(call('sendfile', out, r, 0, 7)).toBe(-EINVAL);
      const src = call('openat', AT_FDCWD, e.path('/tmp/fz/b'), 0o102, 0o644)!;
      expect(call('write', src, ARENA, 7)).toBe(7);
      expect(call('lseek', src, 0, 0)).toBe(0);
      expect(call('sendfile', out, src, 0, 7)).toBe(7);
    });

    it('utimensat with AT_EMPTY_PATH on a pipe and on an unlinked file touches no host path', () => {
      const { e, call } = freshProcess(arch);
      const empty = e.path('');
      expect(call('pipe2', ARENA + 4 * 4096 + 3072, 0)).toBe(0);
      const pipeFd = new DataView(e.p.mem.user.read(ARENA + 4 * 4096 + 3072, 4).buffer).getInt32(0, true);
      expect(call('utimensat', pipeFd, empty, 0, AT_EMPTY_PATH)).toBe(0);
      const fd = call('openat', AT_FDCWD, e.path('/tmp/fz/b'), 0x42, 0o600)!;
      expect(call('unlinkat', AT_FDCWD, e.path('/tmp/fz/b'), 0)).toBe(0);
      expect(call('utimensat', fd, empty, 0, AT_EMPTY_PATH)).toBe(0);
    });
  });
}

describe('the last line of defence', () => {
  it('a handler that throws is reported with its call and EINVAL, and the fuzzer fails on it', async () => {
    const { SYSCALL_ROWS } = await import('../../kernel/linux/syscall-table');
    const row = SYSCALL_ROWS.find((r) => r.name === 'getppid')! as { handler: unknown };
    const real = row.handler;
    row.handler = () => {
      throw new TypeError('a bug in a handler');
    };
    try {
      const { f, e } = freshProcess('aarch64');
      expect(() => f.call(e.t, 'getppid', [1, 2, 3, 4, 5, 6], false)).toThrow(/internal error in getppid\(0x1, 0x2, 0x3, 0x4, 0x5, 0x6\).*TypeError: a bug in a handler/);
      expect(f.sys.internalErrors.length).toBe(1);
      expect(e.t.ctx.result()).toBe(-EINVAL);
    } finally {
      row.handler = real;
    }
  });
});
