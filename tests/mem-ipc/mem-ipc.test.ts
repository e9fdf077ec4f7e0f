// Memory, IPC, futex, pipe and socket behaviour that LTP's syscall tests
// check, by our own programs (build.sh): each prints what Linux printed (the
// goldens, recorded as root: under qemu-aarch64, or for what qemu-user does
// not pass through, the x86_64 build on the host kernel) and exits with the
// same status.
// The guest starts as root here whatever the host user is: the tests stub
// the host's ids that salty's first process takes.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/mem-ipc');
interface Program {
  readonly name: string;
  readonly what: string;
  /** Whose behaviour the golden is: qemu-aarch64's, or the host kernel's (the x86_64 build). */
  readonly oracle: 'qemu' | 'host';
}

const PROGRAMS: readonly Program[] = [
  { name: 'ipcnext', what: 'the IPC tunables msg/shm/sem_next_id, msgmni', oracle: 'qemu' },
  { name: 'buserr', what: 'SIGBUS past the end of a file mapping, truncate dropping pages, futex keys (EFAULT, EINVAL)', oracle: 'qemu' },
  { name: 'mapsync', what: 'shared file mappings coherent with read(2) and write(2); msync checks and EBUSY', oracle: 'qemu' },
  { name: 'semundo', what: 'SEM_UNDO adjustments applied at exit, not inherited by fork, cleared by SETVAL', oracle: 'qemu' },
  { name: 'threadstate', what: '/proc/self/task/TID/stat: a thread waiting on a futex sleeps (S)', oracle: 'qemu' },
  { name: 'mqueue', what: 'POSIX message queues: open, attributes, priorities, timeouts, notify, unlink, limits', oracle: 'host' },
  { name: 'hugepage', what: 'huge pages with an empty pool (memfd MFD_HUGETLB, MAP_HUGETLB, SHM_HUGETLB), shmmax and shmall', oracle: 'host' },
  { name: 'pipes', what: 'packet pipes (O_DIRECT), EMFILE and EFAULT leaving no descriptor, pipe-user-pages-soft', oracle: 'host' },
  { name: 'readiness', what: 'FIFO readiness (O_RDWR, POLLHUP after a writer left, POLLERR), which /proc files epoll takes', oracle: 'host' },
  { name: 'unixperm', what: 'AF_UNIX connect/sendto need write permission on the socket inode, before the type check', oracle: 'host' },
  { name: 'memlock', what: 'mlock accounting in status and smaps, RLIMIT_MEMLOCK, pagemap, mincore of file pages', oracle: 'host' },
];

interface Outcome {
  stdout: string;
  status: number;
}

function runOnSalty(name: string): Outcome {
  const file = join(DIR, `${name}.elf`);
  let stdout = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: name, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false },
    { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return { stdout, status };
}

const golden = (name: string): Outcome => ({ stdout: readFileSync(join(DIR, `${name}.golden`), 'utf8'), status: Number(readFileSync(join(DIR, `${name}.status`), 'utf8').trim()) });

beforeAll(() => {
  vi.spyOn(process, 'getuid').mockReturnValue(0);
  vi.spyOn(process, 'getgid').mockReturnValue(0);
  vi.spyOn(process, 'getgroups').mockReturnValue([0]);
});
afterAll(() => vi.restoreAllMocks());

describe('against the goldens recorded on Linux', () => {
  for (const { name, what } of PROGRAMS) {
    it(`${name}: ${what}`, () => {
      expect(runOnSalty(name)).toEqual(golden(name));
    }, 120_000);
  }
});

describe('vm.max_map_count (Linux: mmap refuses past the limit, munmap will not split a mapping at it)', () => {
  it('mapcount: ENOMEM from mmap at the limit, from a splitting munmap, not from a trimming one', () => {
    const out = runOnSalty('mapcount');
    expect(out.status).toBe(0);
    const m = /^stopped by Cannot allocate memory with (\d+) mappings$/m.exec(out.stdout);
    expect(m).not.toBeNull();
    // /proc/self/maps merges neighbours Linux would hold as one VMA, so the line count may be one under the limit + 1.
    expect(Number(m![1])).toBeGreaterThanOrEqual(99);
    expect(Number(m![1])).toBeLessThanOrEqual(101);
    expect(out.stdout).toContain('split at the limit: -1 Cannot allocate memory\n');
    expect(out.stdout).toContain('trim the end: 0 \n');
  }, 120_000);
});

const hasQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;

describe.runIf(hasQemu && isRoot)('live against qemu-aarch64', () => {
  for (const { name } of PROGRAMS.filter((p) => p.oracle === 'qemu')) {
    it(`${name} agrees with qemu-aarch64 now`, () => {
      const r = spawnSync('setsid', ['-w', 'qemu-aarch64', '-0', name, join(DIR, `${name}.elf`)], { encoding: 'utf8', cwd: '/tmp' });
      expect(runOnSalty(name)).toEqual({ stdout: r.stdout, status: r.status });
    }, 120_000);
  }
});
