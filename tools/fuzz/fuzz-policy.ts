// Which fuzzed calls run in a forked child of the fuzzing process, and why.
// Everything else runs in the fuzzing process itself. A call missing here
// that ends or cripples the process only costs an early new epoch (a fresh
// process), never a wrong verdict, so rows other branches add are safe.

/** Calls made in a child (forked through the dispatcher, killed and reaped afterwards), with the reason. */
export const IN_CHILD: Readonly<Record<string, string>> = {
  exit: 'ends the calling thread',
  exit_group: 'ends the process',
  execve: 'replaces the image',
  execveat: 'replaces the image',
  rt_sigreturn: 'loads every register from a frame on the stack (a bad one is SIGSEGV)',
  kill: 'may send a fatal signal (or SIGSTOP) to the caller or its group',
  tkill: 'may send a fatal signal to the caller',
  tgkill: 'may send a fatal signal to the caller',
  rt_sigqueueinfo: 'may send a fatal signal to the caller',
  rt_tgsigqueueinfo: 'may send a fatal signal to the caller',
  pidfd_send_signal: 'may send a fatal signal to the caller',
  clone: 'creates processes and threads',
  clone3: 'creates processes and threads',
  fork: 'creates a process',
  vfork: 'creates a process and waits, uninterruptibly, for its exec or exit',
  setrlimit: 'may lower limits the later calls need',
  prlimit64: 'may lower limits the later calls need',
  setuid: 'may drop the privileges the later calls need',
  setgid: 'may drop the privileges the later calls need',
  setreuid: 'may drop the privileges the later calls need',
  setregid: 'may drop the privileges the later calls need',
  setresuid: 'may drop the privileges the later calls need',
  setresgid: 'may drop the privileges the later calls need',
  setfsuid: 'may drop the privileges the later calls need',
  setfsgid: 'may drop the privileges the later calls need',
  setgroups: 'may drop the privileges the later calls need',
  capset: 'may drop the privileges the later calls need',
  unshare: 'may detach the process from what the later calls share',
  setns: 'may detach the process from what the later calls share',
};

/** Calls never fuzzed, with the reason (none so far: a child can take every call). */
export const EXCLUDED: Readonly<Record<string, string>> = {};
