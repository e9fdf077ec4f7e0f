// --strace: the kind of each argument of every implemented syscall, by name.
// Where qemu-aarch64 7.2's -strace decodes a call, the kinds reproduce its
// line (so the two can be diffed); where qemu prints six raw decimals, salty
// prints the call's own arguments in the same style (pointers in hex, flags
// by name, strings quoted).

/** How one argument prints. */
export type Arg =
  | 'd' // signed 32-bit decimal
  | 'l' // the full value in decimal
  | 'x' // the low 32 bits in hex (qemu's %#x)
  | 'p' // a pointer: NULL or 0x%016x
  | 'h' // an address in unpadded hex, (nil) for 0 (qemu's %p)
  | 'o' // octal mode with a leading 0 (qemu's %#o)
  | 's' // a NUL-terminated string
  | 'dirfd' | 'oflags' | 'fdflags' | 'mode' | 'prot' | 'mflags' | 'whence' | 'sig' | 'how' | 'clock' | 'atflags' | 'ioctl' | 'futexop' | 'madv' | 'ts'
  | 'access' | 'accessat' | 'rlimit' | 'wait' | 'mremap' | 'msync' | 'itimer' | 'itimerval' | 'siginfo' | 'shut' | 'msgflags' | 'sollevel' | 'sockopt'
  | 'family' | 'socktype' | 'sockproto' | 'sockaddr' | 'renameflags';

/** How the result prints: decimal, an address (0x%016x), or none (the call does not return). */
export type Ret = 'd' | 'addr' | 'none';

export interface Spec {
  readonly args: readonly Arg[];
  readonly ret?: Ret;
}

const d1: Spec = { args: ['d'] };
const none: Spec = { args: [] };

export const SPECS: Record<string, Spec> = {
  // Files and descriptors.
  read: { args: ['d', 'x', 'd'] },
  write: { args: ['d', 'x', 'd'] },
  readv: { args: ['d', 'h', 'd'] },
  writev: { args: ['d', 'h', 'x'] },
  pread64: { args: ['d', 'h', 'd', 'l'] },
  pwrite64: { args: ['d', 'h', 'd', 'l'] },
  sendfile: { args: ['d', 'd', 'h', 'd'] },
  close: d1,
  dup: d1,
  dup3: { args: ['d', 'd', 'd'] },
  pipe2: { args: ['h', 'fdflags'] },
  openat: { args: ['dirfd', 's', 'oflags', 'mode'] },
  newfstatat: { args: ['dirfd', 's', 'p', 'atflags'] },
  statx: { args: ['dirfd', 's', 'atflags', 'x', 'h'] },
  fstat: { args: ['d', 'p'] },
  statfs: { args: ['s', 'h'] },
  fstatfs: { args: ['d', 'h'] },
  lseek: { args: ['d', 'l', 'whence'] },
  getdents64: { args: ['d', 'h', 'd'] },
  readlinkat: { args: ['dirfd', 's', 'p', 'd'] },
  mkdirat: { args: ['dirfd', 's', 'mode'] },
  unlinkat: { args: ['dirfd', 's', 'atflags'] },
  symlinkat: { args: ['s', 'dirfd', 's'] },
  // qemu names no AT_SYMLINK_FOLLOW here (0x400 prints in hex).
  linkat: { args: ['dirfd', 's', 'dirfd', 's', 'accessat'] },
  renameat: { args: ['dirfd', 's', 'dirfd', 's'] },
  renameat2: { args: ['dirfd', 's', 'dirfd', 's', 'renameflags'] },
  faccessat: { args: ['dirfd', 's', 'access', 'accessat'] },
  faccessat2: { args: ['dirfd', 's', 'access', 'accessat'] },
  fchmod: { args: ['d', 'o'] },
  fchmodat: { args: ['dirfd', 's', 'o', 'atflags'] },
  utimensat: { args: ['dirfd', 's', 'h', 'atflags'] },
  truncate: { args: ['s', 'l'] },
  ftruncate: { args: ['d', 'l'] },
  fsync: d1,
  fdatasync: d1,
  chdir: { args: ['s'] },
  fchdir: d1,
  getcwd: { args: ['h', 'd'] },
  umask: { args: ['o'] },
  ioctl: { args: ['d', 'ioctl', 'p'] },
  eventfd2: { args: ['d', 'd'] },
  timerfd_create: { args: ['clock', 'fdflags'] },
  timerfd_settime: { args: ['d', 'd', 'h', 'h'] },
  timerfd_gettime: { args: ['d', 'h'] },
  ppoll: { args: ['h', 'd', 'ts', 'h', 'd'] },
  pselect6: { args: ['d', 'h', 'h', 'h', 'ts', 'h'] },
  // Sockets.
  socket: { args: ['family', 'socktype', 'sockproto'] },
  socketpair: { args: ['family', 'socktype', 'sockproto', 'h'] },
  bind: { args: ['d', 'sockaddr', 'd'] },
  connect: { args: ['d', 'x', 'd'] },
  listen: { args: ['d', 'd'] },
  accept: { args: ['d', 'p', 'p'] },
  accept4: { args: ['d', 'h', 'h', 'fdflags'] },
  getsockname: { args: ['d', 'h', 'h'] },
  getpeername: { args: ['d', 'h', 'h'] },
  sendto: { args: ['d', 'h', 'd', 'msgflags', 'h', 'd'] },
  recvfrom: { args: ['d', 'h', 'd', 'msgflags', 'h', 'h'] },
  sendmsg: { args: ['d', 'h', 'd'] },
  recvmsg: { args: ['d', 'h', 'd'] },
  shutdown: { args: ['d', 'shut'] },
  getsockopt: { args: ['d', 'sollevel', 'sockopt', 'h', 'h'] },
  setsockopt: { args: ['d', 'sollevel', 'sockopt', 'h', 'd'] },
  // Memory.
  brk: { args: ['p'], ret: 'addr' },
  mmap: { args: ['p', 'd', 'prot', 'mflags', 'd', 'd'], ret: 'addr' },
  munmap: { args: ['p', 'd'] },
  mprotect: { args: ['p', 'd', 'prot'] },
  madvise: { args: ['p', 'd', 'madv'] },
  mremap: { args: ['p', 'd', 'd', 'mremap', 'p'], ret: 'addr' },
  msync: { args: ['p', 'd', 'msync'] },
  mlock: { args: ['p', 'd'] },
  munlock: { args: ['p', 'd'] },
  mlockall: { args: ['x'] },
  munlockall: none,
  // Processes and threads.
  execveat: { args: ['dirfd', 's', 'h', 'h', 'atflags'] },
  exit: { args: ['d'], ret: 'none' },
  exit_group: { args: ['d'], ret: 'none' },
  wait4: { args: ['d', 'h', 'wait', 'h'] },
  waitid: { args: ['x', 'd', 'h', 'x'] },
  set_tid_address: { args: ['h'] },
  set_robust_list: { args: ['h', 'd'] },
  futex: { args: ['p', 'futexop', 'd', 'p', 'p', 'd'] },
  sched_yield: none,
  sched_setaffinity: { args: ['d', 'd', 'h'] },
  sched_getaffinity: { args: ['d', 'd', 'h'] },
  getpid: none,
  getppid: none,
  gettid: none,
  getuid: none,
  geteuid: none,
  getgid: none,
  getegid: none,
  setuid: d1,
  setgid: d1,
  setresuid: { args: ['d', 'd', 'd'] },
  setresgid: { args: ['d', 'd', 'd'] },
  getresuid: { args: ['h', 'h', 'h'] },
  getresgid: { args: ['h', 'h', 'h'] },
  getgroups: { args: ['d', 'h'] },
  setgroups: { args: ['d', 'h'] },
  setpgid: { args: ['d', 'd'] },
  getpgid: d1,
  getsid: d1,
  setsid: none,
  prlimit64: { args: ['d', 'rlimit', 'h', 'h'] },
  getrlimit: { args: ['rlimit', 'h'] },
  setrlimit: { args: ['rlimit', 'h'] },
  getrusage: { args: ['d', 'h'] },
  times: { args: ['h'] },
  prctl: { args: ['d', 'h', 'l', 'l', 'l'] },
  uname: { args: ['h'] },
  sysinfo: { args: ['h'] },
  getrandom: { args: ['h', 'd', 'd'] },
  // Signals.
  rt_sigaction: { args: ['sig', 'p', 'p'] },
  rt_sigprocmask: { args: ['how', 'p', 'p'] },
  rt_sigpending: { args: ['h', 'd'] },
  rt_sigsuspend: { args: ['h', 'd'] },
  rt_sigtimedwait: { args: ['h', 'h', 'ts', 'd'] },
  rt_sigqueueinfo: { args: ['d', 'sig', 'siginfo'] },
  rt_tgsigqueueinfo: { args: ['d', 'd', 'sig', 'siginfo'] },
  rt_sigreturn: none,
  sigaltstack: { args: ['h', 'h'] },
  kill: { args: ['d', 'sig'] },
  tkill: { args: ['d', 'sig'] },
  tgkill: { args: ['d', 'd', 'sig'] },
  // Time.
  clock_gettime: { args: ['clock', 'p'] },
  clock_getres: { args: ['clock', 'h'] },
  clock_nanosleep: { args: ['clock', 'd', 'ts', 'p'] },
  nanosleep: { args: ['ts', 'p'] },
  gettimeofday: { args: ['h', 'h'] },
  getitimer: { args: ['itimer', 'h'] },
  setitimer: { args: ['itimer', 'itimerval', 'p'] },
  // x86_64's older calls (the arm64 table has only their *at and newer forms).
  open: { args: ['s', 'oflags', 'mode'] },
  creat: { args: ['s', 'mode'] },
  stat: { args: ['s', 'p'] },
  lstat: { args: ['s', 'p'] },
  access: { args: ['s', 'access'] },
  mkdir: { args: ['s', 'mode'] },
  rmdir: { args: ['s'] },
  unlink: { args: ['s'] },
  rename: { args: ['s', 's'] },
  link: { args: ['s', 's'] },
  symlink: { args: ['s', 's'] },
  readlink: { args: ['s', 'h', 'd'] },
  chmod: { args: ['s', 'o'] },
  utime: { args: ['s', 'h'] },
  utimes: { args: ['s', 'h'] },
  getdents: { args: ['d', 'h', 'd'] },
  pipe: { args: ['h'] },
  dup2: { args: ['d', 'd'] },
  poll: { args: ['h', 'd', 'd'] },
  select: { args: ['d', 'h', 'h', 'h', 'h'] },
  eventfd: { args: ['d'] },
  pause: none,
  alarm: { args: ['d'] },
  fork: none,
  vfork: none,
  getpgrp: none,
  time: { args: ['h'] },
  arch_prctl: { args: ['x', 'h'] },
};
