// Names of the flag bits and constants --strace decodes, in the order
// qemu-user's -strace prints them (so the two outputs can be diffed).

export type FlagTable = readonly (readonly [number, string])[];

export const OPEN_FLAGS: FlagTable = [
  [0o2000, 'O_APPEND'],
  [0o100, 'O_CREAT'],
  [0o40000, 'O_DIRECTORY'],
  [0o200, 'O_EXCL'],
  [0o400000, 'O_LARGEFILE'],
  [0o400, 'O_NOCTTY'],
  [0o100000, 'O_NOFOLLOW'],
  [0o4000, 'O_NONBLOCK'],
  [0o10000, 'O_DSYNC'],
  [0o4000000, '__O_SYNC'],
  [0o1000, 'O_TRUNC'],
  [0o200000, 'O_DIRECT'],
  [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
  [0o20000000, 'O_TMPFILE'],
];

export const PROT_FLAGS: FlagTable = [
  [1, 'PROT_READ'],
  [2, 'PROT_WRITE'],
  [4, 'PROT_EXEC'],
];

export const MMAP_FLAGS: FlagTable = [
  [0x01, 'MAP_SHARED'],
  [0x02, 'MAP_PRIVATE'],
  [0x20, 'MAP_ANONYMOUS'],
  [0x800, 'MAP_DENYWRITE'],
  [0x10, 'MAP_FIXED'],
  [0x100, 'MAP_GROWSDOWN'],
  [0x1000, 'MAP_EXECUTABLE'],
  [0x2000, 'MAP_LOCKED'],
  [0x10000, 'MAP_NONBLOCK'],
  [0x4000, 'MAP_NORESERVE'],
  [0x8000, 'MAP_POPULATE'],
  [0x40000, 'MAP_HUGETLB'],
];

export const CLONE_FLAGS: FlagTable = [
  [0x100, 'CLONE_VM'],
  [0x200, 'CLONE_FS'],
  [0x400, 'CLONE_FILES'],
  [0x800, 'CLONE_SIGHAND'],
  [0x1000, 'CLONE_PIDFD'],
  [0x2000, 'CLONE_PTRACE'],
  [0x4000, 'CLONE_VFORK'],
  [0x8000, 'CLONE_PARENT'],
  [0x10000, 'CLONE_THREAD'],
  [0x20000, 'CLONE_NEWNS'],
  [0x40000, 'CLONE_SYSVSEM'],
  [0x80000, 'CLONE_SETTLS'],
  [0x100000, 'CLONE_PARENT_SETTID'],
  [0x200000, 'CLONE_CHILD_CLEARTID'],
  [0x400000, 'CLONE_DETACHED'],
  [0x800000, 'CLONE_UNTRACED'],
  [0x1000000, 'CLONE_CHILD_SETTID'],
];

export const AT_FLAGS: FlagTable = [
  [0x100, 'AT_SYMLINK_NOFOLLOW'],
  [0x200, 'AT_REMOVEDIR'],
  [0x400, 'AT_SYMLINK_FOLLOW'],
];

export const FUTEX_FLAGS: FlagTable = [
  [128, 'FUTEX_PRIVATE_FLAG'],
  [256, 'FUTEX_CLOCK_REALTIME'],
];

export const FUTEX_OPS = ['FUTEX_WAIT', 'FUTEX_WAKE', 'FUTEX_FD', 'FUTEX_REQUEUE', 'FUTEX_CMP_REQUEUE', 'FUTEX_WAKE_OP', 'FUTEX_LOCK_PI', 'FUTEX_UNLOCK_PI', 'FUTEX_TRYLOCK_PI', 'FUTEX_WAIT_BITSET', 'FUTEX_WAKE_BITSET'];

export const WHENCE = ['SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SEEK_DATA', 'SEEK_HOLE'];
export const SIGPROCMASK_HOW = ['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'];
export const CLOCKS = ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE', 'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME'];

export const MADVISE: Record<number, string> = {
  0: 'MADV_NORMAL',
  1: 'MADV_RANDOM',
  2: 'MADV_SEQUENTIAL',
  3: 'MADV_WILLNEED',
  4: 'MADV_DONTNEED',
  8: 'MADV_FREE',
};

export const IOCTLS: Record<number, string> = {
  0x5401: 'TCGETS',
  0x5402: 'TCSETS',
  0x5403: 'TCSETSW',
  0x5404: 'TCSETSF',
  0x540e: 'TIOCSCTTY',
  0x540f: 'TIOCGPGRP',
  0x5410: 'TIOCSPGRP',
  0x5413: 'TIOCGWINSZ',
  0x5414: 'TIOCSWINSZ',
  0x541b: 'FIONREAD',
  0x5421: 'FIONBIO',
};

export const SIGNAL_SYMBOLS = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGIOT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM',
  'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** Set bits by name, joined with |, any bits left over in hex; 0 when nothing is set. */
export function flagNames(value: number, table: FlagTable): string {
  const parts: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) === bit && bit !== 0) {
      parts.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.length > 0 ? parts.join('|') : '0';
}
