// execve's argument and environment strings, read and limited as Linux's
// fs/exec.c does (checked against the host kernel by tests/hostile/kernel-limits.c):
// the strings (the file name, each environment and argument string with its
// NUL) and the argc + envc pointers together get a quarter of RLIMIT_STACK,
// at least 32 pages (ARG_MAX) and at most 3/4 of 8 MiB; the strings alone must
// also fit within RLIMIT_STACK itself, as the stack they are copied to grows
// under that limit; one string may be 32 pages with its NUL. Past any of
// these execve answers E2BIG. Reading stops at the limit, so a guest cannot
// make the host copy more than 6 MiB of strings.

import { StringTooLong } from '../process/user-memory';
import { E2BIG } from './errno';
import { limitsOf, RLIMIT_STACK } from './resource-limits';
import type { Call } from './syscall-context';

const PAGE = 4096;
const ARG_MAX = 32 * PAGE;
const MAX_ARG_STRLEN = 32 * PAGE;
/** _STK_LIM, the default stack limit: argument strings get at most 3/4 of it. */
const STK_LIM = 8 << 20;
const AT_FDCWD = -100;

/** The file name Linux copies first: the path, or /dev/fd/N[/path] for execveat relative to a descriptor. */
function bprmFilename(dirfd: number, path: string): string {
  if (dirfd === AT_FDCWD || path.startsWith('/')) return path;
  return path === '' ? `/dev/fd/${dirfd}` : `/dev/fd/${dirfd}/${path}`;
}

/** Counts a NULL-terminated pointer array, stopping once it alone would pass limit bytes. */
function countPointers(c: Call, addr: number, stopAt: number): number {
  if (addr === 0) return 0;
  let n = 0;
  while (n * 8 < stopAt && c.words(addr + 8 * n, 1)[0] !== 0) n++;
  return n;
}

/** argv and envp for execve (envp first, as Linux copies them), or -E2BIG (a bad pointer throws: EFAULT). */
export function readExecArgs(c: Call, dirfd: number, path: string, argvAddr: number, envpAddr: number): { argv: string[]; envp: string[] } | number {
  const stack = limitsOf(c.p)[RLIMIT_STACK][0];
  let limit = Math.max(Math.min((STK_LIM / 4) * 3, Math.floor(stack / 4)), ARG_MAX);
  const argc = countPointers(c, argvAddr, limit);
  const envc = countPointers(c, envpAddr, limit);
  const pointers = (Math.max(argc, 1) + envc) * 8;
  if (limit <= pointers) return -E2BIG;
  limit -= pointers;
  let total = 0;
  const take = (bytes: number): boolean => {
    total += bytes;
    // The strings are copied below an initial 8 bytes into a stack that grows a page at a time under RLIMIT_STACK.
    const grown = Math.ceil((8 + total) / PAGE) * PAGE;
    return total <= limit && (grown <= PAGE || grown <= stack);
  };
  if (!take(Buffer.byteLength(bprmFilename(dirfd, path)) + 1)) return -E2BIG;
  const read = (addr: number, n: number): string[] | number => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let s: string;
      try {
        s = c.str(c.words(addr + 8 * i, 1)[0], MAX_ARG_STRLEN);
      } catch (e) {
        if (e instanceof StringTooLong) return -E2BIG;
        throw e;
      }
      if (!take(Buffer.byteLength(s) + 1)) return -E2BIG;
      out.push(s);
    }
    return out;
  };
  const envp = read(envpAddr, envc);
  if (typeof envp === 'number') return envp;
  const argv = read(argvAddr, argc);
  if (typeof argv === 'number') return argv;
  // Linux (5.18+) gives a program started with an empty argv an argv[0] of "", so argc is 1.
  if (argv.length === 0) {
    if (!take(1)) return -E2BIG;
    argv.push('');
  }
  return { argv, envp };
}
