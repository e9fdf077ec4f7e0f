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

/** The same names at x86_64's values (O_DIRECT, O_LARGEFILE, O_DIRECTORY and O_NOFOLLOW sit at other bits there). */
export const X86_64_OPEN_FLAGS: FlagTable = [
  [0o2000, 'O_APPEND'],
  [0o100, 'O_CREAT'],
  [0o200000, 'O_DIRECTORY'],
  [0o200, 'O_EXCL'],
  [0o100000, 'O_LARGEFILE'],
  [0o400, 'O_NOCTTY'],
  [0o400000, 'O_NOFOLLOW'],
  [0o4000, 'O_NONBLOCK'],
  [0o10000, 'O_DSYNC'],
  [0o4000000, '__O_SYNC'],
  [0o1000, 'O_TRUNC'],
  [0o40000, 'O_DIRECT'],
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

export const FD_FLAGS: FlagTable = [
  [0o4000, 'O_NONBLOCK'],
  [0o2000000, 'O_CLOEXEC'],
];

export const ACCESS_FLAGS: FlagTable = [
  [4, 'R_OK'],
  [2, 'W_OK'],
  [1, 'X_OK'],
];

export const ACCESSAT_FLAGS: FlagTable = [
  [0x200, 'AT_EACCESS'],
  [0x100, 'AT_SYMLINK_NOFOLLOW'],
];

export const WAIT_FLAGS: FlagTable = [
  [1, 'WNOHANG'],
  [2, 'WUNTRACED'],
  [4, 'WEXITED'],
  [8, 'WCONTINUED'],
  [0x1000000, 'WNOWAIT'],
  [0x20000000, '__WNOTHREAD'],
  [0x40000000, '__WALL'],
  [0x80000000, '__WCLONE'],
];

export const MREMAP_FLAGS: FlagTable = [
  [1, 'MREMAP_MAYMOVE'],
  [2, 'MREMAP_FIXED'],
  [4, 'MREMAP_DONTUNMAP'],
];

export const MSYNC_FLAGS: FlagTable = [
  [1, 'MS_ASYNC'],
  [2, 'MS_INVALIDATE'],
  [4, 'MS_SYNC'],
];

export const MSG_FLAGS: FlagTable = [
  [0x1, 'MSG_OOB'],
  [0x2, 'MSG_PEEK'],
  [0x4, 'MSG_DONTROUTE'],
  [0x8, 'MSG_CTRUNC'],
  [0x20, 'MSG_TRUNC'],
  [0x40, 'MSG_DONTWAIT'],
  [0x80, 'MSG_EOR'],
  [0x100, 'MSG_WAITALL'],
  [0x4000, 'MSG_NOSIGNAL'],
  [0x40000000, 'MSG_CMSG_CLOEXEC'],
];

export const RENAME_FLAGS: FlagTable = [
  [1, 'RENAME_NOREPLACE'],
  [2, 'RENAME_EXCHANGE'],
  [4, 'RENAME_WHITEOUT'],
];

export const RLIMITS = ['RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_DATA', 'RLIMIT_STACK', 'RLIMIT_CORE', 'RLIMIT_RSS', 'RLIMIT_NPROC', 'RLIMIT_NOFILE', 'RLIMIT_MEMLOCK', 'RLIMIT_AS', 'RLIMIT_LOCKS', 'RLIMIT_SIGPENDING', 'RLIMIT_MSGQUEUE', 'RLIMIT_NICE', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME'];
export const ITIMERS = ['ITIMER_REAL', 'ITIMER_VIRTUAL', 'ITIMER_PROF'];
export const SHUTDOWN_HOW = ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'];
export const SOCKET_FAMILIES: Record<number, string> = { 0: 'PF_UNSPEC', 1: 'PF_UNIX', 2: 'PF_INET', 10: 'PF_INET6', 16: 'PF_NETLINK', 17: 'PF_PACKET' };
export const SOCKET_TYPES: Record<number, string> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 3: 'SOCK_RAW', 4: 'SOCK_RDM', 5: 'SOCK_SEQPACKET', 10: 'SOCK_PACKET' };
export const SOCKET_LEVELS: Record<number, string> = { 0: 'SOL_IP', 1: 'SOL_SOCKET', 6: 'SOL_TCP', 17: 'SOL_UDP', 41: 'SOL_IPV6' };
export const SOCKET_OPTIONS: Record<number, string> = {
  1: 'SO_DEBUG', 2: 'SO_REUSEADDR', 3: 'SO_TYPE', 4: 'SO_ERROR', 5: 'SO_DONTROUTE', 6: 'SO_BROADCAST', 7: 'SO_SNDBUF', 8: 'SO_RCVBUF',
  9: 'SO_KEEPALIVE', 10: 'SO_OOBINLINE', 13: 'SO_LINGER', 15: 'SO_REUSEPORT', 16: 'SO_PASSCRED', 17: 'SO_PEERCRED', 18: 'SO_RCVLOWAT',
  20: 'SO_RCVTIMEO', 21: 'SO_SNDTIMEO', 30: 'SO_ACCEPTCONN', 38: 'SO_PROTOCOL', 39: 'SO_DOMAIN',
};
