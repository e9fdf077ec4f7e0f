// The Linux syscall table, one row per call as gVisor writes its tables:
// name, number on arm64 (asm-generic), number on x86_64 (its syscall_64
// table), handler, and a note where the support is partial. A number is
// written here and nowhere else; a row without a handler answers ENOSYS.
// Only this file and the dispatcher read the table: the sys-*.ts handlers
// never import it back.

import type { Syscall } from './syscall-context';
import * as closeRange from './sys-close-range';
import * as cpu from './sys-cpu';
import * as epoll from './sys-epoll';
import * as creds from './sys-creds';
import * as owner from './sys-file-owner';
import * as event from './sys-event';
import * as fadvise from './sys-fadvise';
import * as fallocate from './sys-fallocate';
import * as fd from './sys-fd';
import * as futex from './sys-futex';
import * as info from './sys-info';
import * as io from './sys-io';
import * as legacy from './sys-legacy';
import * as madvise from './sys-madvise';
import * as mlocks from './sys-mlock';
import * as mqueue from './sys-mqueue';
import * as memory from './sys-memory';
import * as path from './sys-path';
import * as poll from './sys-poll';
import * as prctl from './sys-prctl';
import * as process from './sys-process';
import * as sem from './sys-sem';
import * as shm from './sys-shm';
import * as locks from './sys-locks';
import * as memfd from './sys-memfd';
import * as mknod from './sys-mknod';
import * as rlimit from './sys-rlimit';
import * as sched from './sys-sched';
import * as session from './sys-session';
import * as usage from './sys-usage';
import * as msg from './sys-msg';
import * as signal from './sys-signal';
import * as sigwait from './sys-sigwait';
import * as socket from './sys-inet';
import * as sockopt from './sys-inet-sockopt';
import * as splice from './sys-splice';
import * as syncs from './sys-sync';
import * as time from './sys-time';
import * as timer from './sys-timer';
import * as xattr from './sys-xattr';
import * as vectored from './sys-vectored-io';
import * as statfs from './sys-statfs';
import * as chroot from './sys-chroot';
import * as utimes from './sys-utimes';
import * as inotify from './sys-inotify';
import * as handle from './sys-file-handle';
import * as namespace from './sys-namespace';
import * as syslog from './sys-syslog';
import * as affinity from './sys-affinity';
import * as ioprio from './sys-ioprio';
import * as pidfd from './sys-pidfd';
import * as kcmp from './sys-kcmp';
import * as membarrier from './sys-membarrier';
import * as clockSet from './sys-clock-set';

export type SyscallArch = 'aarch64' | 'x86_64';

export interface SyscallRow {
  readonly name: string;
  /** The asm-generic number arm64 uses; null where arm64 has no such call. */
  readonly aarch64: number | null;
  readonly x86_64: number | null;
  /** null: the call answers ENOSYS. */
  readonly handler: Syscall | null;
  readonly note: string;
}

function row(name: string, aarch64: number | null, x86_64: number | null, handler: Syscall | null = null, note = ''): SyscallRow {
  return { name, aarch64, x86_64, handler, note };
}

export const SYSCALL_ROWS: readonly SyscallRow[] = [
  row('io_setup', 0, 206),
  row('io_destroy', 1, 207),
  row('io_submit', 2, 209),
  row('io_cancel', 3, 210),
  row('io_getevents', 4, 208),
  row('setxattr', 5, 188, xattr.setxattr),
  row('lsetxattr', 6, 189, xattr.lsetxattr),
  row('fsetxattr', 7, 190, xattr.fsetxattr),
  row('getxattr', 8, 191, xattr.getxattr),
  row('lgetxattr', 9, 192, xattr.lgetxattr),
  row('fgetxattr', 10, 193, xattr.fgetxattr),
  row('listxattr', 11, 194, xattr.listxattr),
  row('llistxattr', 12, 195, xattr.llistxattr),
  row('flistxattr', 13, 196, xattr.flistxattr),
  row('removexattr', 14, 197, xattr.removexattr),
  row('lremovexattr', 15, 198, xattr.lremovexattr),
  row('fremovexattr', 16, 199, xattr.fremovexattr),
  row('getcwd', 17, 79, path.getcwd),
  row('lookup_dcookie', 18, 212),
  row('eventfd2', 19, 290, event.eventfd2),
  row('epoll_create1', 20, 291, epoll.epollCreate1),
  row('epoll_ctl', 21, 233, epoll.epollCtl),
  row('epoll_pwait', 22, 281, epoll.epollPwait),
  row('dup', 23, 32, fd.dup),
  row('dup3', 24, 292, fd.dup3),
  row('fcntl', 25, 72, fd.fcntl),
  row('inotify_init1', 26, 294, inotify.inotify_init1),
  row('inotify_add_watch', 27, 254, inotify.inotify_add_watch),
  row('inotify_rm_watch', 28, 255, inotify.inotify_rm_watch),
  row('ioctl', 29, 16, fd.ioctl),
  row('ioprio_set', 30, 251, ioprio.ioprioSet, 'kept and read back; changes no timing'),
  row('ioprio_get', 31, 252, ioprio.ioprioGet),
  row('flock', 32, 73, locks.flock),
  row('mknodat', 33, 259, mknod.mknodat),
  row('mkdirat', 34, 258, path.mkdirat),
  row('unlinkat', 35, 263, path.unlinkat),
  row('symlinkat', 36, 266, path.symlinkat),
  row('linkat', 37, 265, path.linkat),
  row('renameat', 38, 264, path.renameat),
  row('umount2', 39, 166),
  row('mount', 40, 165),
  row('pivot_root', 41, 155),
  row('nfsservctl', 42, 180),
  row('statfs', 43, 137, statfs.statfs),
  row('fstatfs', 44, 138, statfs.fstatfs),
  row('truncate', 45, 76, path.truncate),
  row('ftruncate', 46, 77, fd.ftruncate),
  row('fallocate', 47, 285, fallocate.fallocate, 'tmpfs modes: 0, KEEP_SIZE, PUNCH_HOLE|KEEP_SIZE'),
  row('faccessat', 48, 269, owner.faccessat),
  row('chdir', 49, 80, path.chdir),
  row('fchdir', 50, 81, path.fchdir),
  row('chroot', 51, 161, chroot.chroot),
  row('fchmod', 52, 91, owner.fchmod),
  row('fchmodat', 53, 268, owner.fchmodat),
  row('fchownat', 54, 260, owner.fchownat),
  row('fchown', 55, 93, owner.fchown),
  row('openat', 56, 257, path.openat),
  row('close', 57, 3, fd.close),
  row('vhangup', 58, 153, info.vhangup, 'no controlling terminals: only the permission check'),
  row('pipe2', 59, 293, fd.pipe2),
  row('quotactl', 60, 179),
  row('getdents64', 61, 217, fd.getdents64),
  row('lseek', 62, 8, io.lseek),
  row('read', 63, 0, io.read),
  row('write', 64, 1, io.write),
  row('readv', 65, 19, io.readv),
  row('writev', 66, 20, io.writev),
  row('pread64', 67, 17, io.pread64),
  row('pwrite64', 68, 18, io.pwrite64),
  row('preadv', 69, 295, vectored.preadv),
  row('pwritev', 70, 296, vectored.pwritev),
  row('sendfile', 71, 40, splice.sendfile),
  row('pselect6', 72, 270, poll.pselect6),
  row('ppoll', 73, 271, poll.ppoll),
  row('signalfd4', 74, 289, sigwait.signalfd4),
  row('vmsplice', 75, 278, splice.vmsplice),
  row('splice', 76, 275, splice.splice),
  row('tee', 77, 276, splice.tee),
  row('readlinkat', 78, 267, path.readlinkat),
  row('newfstatat', 79, 262, path.newfstatat),
  row('fstat', 80, 5, fd.fstat),
  row('sync', 81, 162, syncs.sync),
  row('fsync', 82, 74, fd.fsync),
  row('fdatasync', 83, 75, fd.fsync),
  row('sync_file_range', 84, 277, syncs.syncFileRange),
  row('timerfd_create', 85, 283, event.timerfdCreate),
  row('timerfd_settime', 86, 286, event.timerfdSettime),
  row('timerfd_gettime', 87, 287, event.timerfdGettime),
  row('utimensat', 88, 280, utimes.utimensat),
  row('acct', 89, 163),
  row('capget', 90, 125, creds.capget),
  row('capset', 91, 126, creds.capset),
  row('personality', 92, 135, prctl.personality, 'recorded; UNAME26 not applied'),
  row('exit', 93, 60, process.exit),
  row('exit_group', 94, 231, process.exitGroup),
  row('waitid', 95, 247, process.waitid),
  row('set_tid_address', 96, 218, process.setTidAddress),
  row('unshare', 97, 272, namespace.unshare, 'new uts, mnt and time namespaces; EINVAL for ipc, net, pid, user, cgroup'),
  row('futex', 98, 202, futex.futex),
  row('set_robust_list', 99, 273, process.setRobustList),
  row('get_robust_list', 100, 274),
  row('nanosleep', 101, 35, time.nanosleep),
  row('getitimer', 102, 36, timer.getitimer),
  row('setitimer', 103, 38, timer.setitimer),
  row('kexec_load', 104, 246),
  row('init_module', 105, 175),
  row('delete_module', 106, 176),
  row('timer_create', 107, 222, timer.timerCreate),
  row('timer_gettime', 108, 224, timer.timerGettime),
  row('timer_getoverrun', 109, 225, timer.timerGetoverrun),
  row('timer_settime', 110, 223, timer.timerSettime),
  row('timer_delete', 111, 226, timer.timerDelete),
  row('clock_settime', 112, 227, clockSet.clockSettime, 'CLOCK_REALTIME is emulated state: the host clock is untouched'),
  row('clock_gettime', 113, 228, time.clockGettime),
  row('clock_getres', 114, 229, time.clockGetres),
  row('clock_nanosleep', 115, 230, time.clockNanosleep),
  row('syslog', 116, 103, syslog.syslog, 'the kernel log stays empty'),
  row('ptrace', 117, 101),
  row('sched_setparam', 118, 142, sched.schedSetparam),
  row('sched_setscheduler', 119, 144, sched.schedSetscheduler, 'recorded; one round-robin CPU'),
  row('sched_getscheduler', 120, 145, sched.schedGetscheduler),
  row('sched_getparam', 121, 143, sched.schedGetparam),
  row('sched_setaffinity', 122, 203, affinity.schedSetaffinity, 'one CPU: a mask must include CPU 0'),
  row('sched_getaffinity', 123, 204, affinity.schedGetaffinity),
  row('sched_yield', 124, 24, info.zero),
  row('sched_get_priority_max', 125, 146, sched.schedGetPriorityMax),
  row('sched_get_priority_min', 126, 147, sched.schedGetPriorityMin),
  row('sched_rr_get_interval', 127, 148, sched.schedRrGetInterval),
  row('restart_syscall', 128, 219),
  row('kill', 129, 62, signal.kill),
  row('tkill', 130, 200, signal.tkill),
  row('tgkill', 131, 234, signal.tgkill),
  row('sigaltstack', 132, 131, signal.sigaltstack),
  row('rt_sigsuspend', 133, 130, signal.rtSigsuspend),
  row('rt_sigaction', 134, 13, signal.rtSigaction),
  row('rt_sigprocmask', 135, 14, signal.rtSigprocmask),
  row('rt_sigpending', 136, 127, signal.rtSigpending),
  row('rt_sigtimedwait', 137, 128, sigwait.rtSigtimedwait),
  row('rt_sigqueueinfo', 138, 129, signal.rtSigqueueinfo),
  row('rt_sigreturn', 139, 15, signal.rtSigreturn),
  row('setpriority', 140, 141, sched.setpriority, 'recorded; one round-robin CPU'),
  row('getpriority', 141, 140, sched.getpriority),
  row('reboot', 142, 169),
  row('setregid', 143, 114, creds.setregid),
  row('setgid', 144, 106, creds.setgid),
  row('setreuid', 145, 113, creds.setreuid),
  row('setuid', 146, 105, creds.setuid),
  row('setresuid', 147, 117, creds.setresuid),
  row('getresuid', 148, 118, creds.getresuid),
  row('setresgid', 149, 119, creds.setresgid),
  row('getresgid', 150, 120, creds.getresgid),
  row('setfsuid', 151, 122, creds.setfsuid),
  row('setfsgid', 152, 123, creds.setfsgid),
  row('times', 153, 100, usage.times),
  row('setpgid', 154, 109, session.setpgid),
  row('getpgid', 155, 121, session.getpgid),
  row('getsid', 156, 124, session.getsid),
  row('setsid', 157, 112, session.setsid),
  row('getgroups', 158, 115, creds.getgroups),
  row('setgroups', 159, 116, creds.setgroups),
  row('uname', 160, 63, info.uname),
  row('sethostname', 161, 170, namespace.sethostname),
  row('setdomainname', 162, 171, namespace.setdomainname),
  row('getrlimit', 163, 97, rlimit.getrlimit),
  row('setrlimit', 164, 160, rlimit.setrlimit, 'NOFILE and CORE enforced'),
  row('getrusage', 165, 98, usage.getrusage, 'times and maxrss; no counters'),
  row('umask', 166, 95, path.umask),
  row('prctl', 167, 157, prctl.prctl),
  row('getcpu', 168, 309, cpu.getcpu, 'one CPU, node 0'),
  row('gettimeofday', 169, 96, time.gettimeofday),
  row('settimeofday', 170, 164, clockSet.settimeofday, 'emulated CLOCK_REALTIME; the timezone is not kept'),
  row('adjtimex', 171, 159, clockSet.adjtimex, 'NTP state kept; leap seconds applied; frequency and offset change no rate'),
  row('getpid', 172, 39, info.getpid),
  row('getppid', 173, 110, info.getppid),
  row('getuid', 174, 102, creds.getuid),
  row('geteuid', 175, 107, creds.geteuid),
  row('getgid', 176, 104, creds.getgid),
  row('getegid', 177, 108, creds.getegid),
  row('gettid', 178, 186, info.gettid),
  row('sysinfo', 179, 99, info.sysinfo),
  row('mq_open', 180, 240, mqueue.mqOpen),
  row('mq_unlink', 181, 241, mqueue.mqUnlink),
  row('mq_timedsend', 182, 242, mqueue.mqTimedsend),
  row('mq_timedreceive', 183, 243, mqueue.mqTimedreceive),
  row('mq_notify', 184, 244, mqueue.mqNotify, 'SIGEV_NONE and SIGEV_SIGNAL; SIGEV_THREAD needs AF_NETLINK: ENOTSOCK'),
  row('mq_getsetattr', 185, 245, mqueue.mqGetsetattr),
  row('msgget', 186, 68, msg.msgget),
  row('msgctl', 187, 71, msg.msgctl),
  row('msgrcv', 188, 70, msg.msgrcv),
  row('msgsnd', 189, 69, msg.msgsnd),
  row('semget', 190, 64, sem.semget),
  row('semctl', 191, 66, sem.semctl),
  row('semtimedop', 192, 220, sem.semtimedop),
  row('semop', 193, 65, sem.semop),
  row('shmget', 194, 29, shm.shmget),
  row('shmctl', 195, 31, shm.shmctl),
  row('shmat', 196, 30, shm.shmat),
  row('shmdt', 197, 67, shm.shmdt),
  row('socket', 198, 41, socket.socket, 'AF_UNIX; AF_INET and AF_INET6 over the host (TCP, UDP)'),
  row('socketpair', 199, 53, socket.socketpair),
  row('bind', 200, 49, socket.bind),
  row('listen', 201, 50, socket.listen),
  row('accept', 202, 43, socket.accept),
  row('connect', 203, 42, socket.connect),
  row('getsockname', 204, 51, socket.getsockname),
  row('getpeername', 205, 52, socket.getpeername),
  row('sendto', 206, 44, socket.sendto),
  row('recvfrom', 207, 45, socket.recvfrom),
  row('setsockopt', 208, 54, sockopt.setsockopt),
  row('getsockopt', 209, 55, sockopt.getsockopt),
  row('shutdown', 210, 48, socket.shutdown),
  row('sendmsg', 211, 46, socket.sendmsg),
  row('recvmsg', 212, 47, socket.recvmsg),
  row('readahead', 213, 187, fadvise.readahead),
  row('brk', 214, 12, memory.brk),
  row('munmap', 215, 11, memory.munmap),
  row('mremap', 216, 25, memory.mremap),
  row('add_key', 217, 248),
  row('request_key', 218, 249),
  row('keyctl', 219, 250),
  row('clone', 220, null, process.clone, 'arm64 order: tls before child_tid'),
  row('execve', 221, 59, process.execve),
  row('mmap', 222, 9, memory.mmap),
  row('fadvise64', 223, 221, fadvise.fadvise64, 'advice checked, then ignored: no page cache to steer'),
  row('swapon', 224, 167),
  row('swapoff', 225, 168),
  row('mprotect', 226, 10, memory.mprotect),
  row('msync', 227, 26, memory.msync),
  row('mlock', 228, 149, mlocks.mlock, 'no swap: the range is tagged locked (VmLck) and faulted in'),
  row('munlock', 229, 150, mlocks.munlock),
  row('mlockall', 230, 151, mlocks.mlockall, 'no swap: mappings tagged locked and faulted in'),
  row('munlockall', 231, 152, mlocks.munlockall),
  row('mincore', 232, 27, madvise.mincore),
  row('madvise', 233, 28, madvise.madvise),
  row('remap_file_pages', 234, 216),
  row('mbind', 235, 237),
  row('get_mempolicy', 236, 239),
  row('set_mempolicy', 237, 238),
  row('migrate_pages', 238, 256),
  row('move_pages', 239, 279),
  row('rt_tgsigqueueinfo', 240, 297, signal.rtTgsigqueueinfo),
  row('perf_event_open', 241, 298),
  row('accept4', 242, 288, socket.accept4),
  row('recvmmsg', 243, 299, socket.recvmmsg),
  row('wait4', 260, 61, process.wait4),
  row('prlimit64', 261, 302, rlimit.prlimit64, 'NOFILE and CORE enforced'),
  row('fanotify_init', 262, 300),
  row('fanotify_mark', 263, 301),
  row('name_to_handle_at', 264, 303, handle.name_to_handle_at),
  row('open_by_handle_at', 265, 304, handle.open_by_handle_at),
  row('clock_adjtime', 266, 305, clockSet.clockAdjtime, 'CLOCK_REALTIME only'),
  row('syncfs', 267, 306, syncs.syncfs),
  row('setns', 268, 308, namespace.setns, 'per process, not per thread'),
  row('sendmmsg', 269, 307, socket.sendmmsg),
  row('process_vm_readv', 270, 310),
  row('process_vm_writev', 271, 311),
  row('kcmp', 272, 312, kcmp.kcmp, 'KCMP_EPOLL_TFD answers EOPNOTSUPP'),
  row('finit_module', 273, 313),
  row('sched_setattr', 274, 314, sched.schedSetattr, 'no SCHED_DEADLINE'),
  row('sched_getattr', 275, 315, sched.schedGetattr),
  row('renameat2', 276, 316, path.renameat2),
  row('seccomp', 277, 317),
  row('getrandom', 278, 318, time.getrandom),
  row('memfd_create', 279, 319, memfd.memfdCreate, 'MFD_HUGETLB: hugetlbfs files with an empty pool'),
  row('bpf', 280, 321),
  row('execveat', 281, 322, process.execveat),
  row('userfaultfd', 282, 323),
  row('membarrier', 283, 324, membarrier.membarrier, 'one CPU: every barrier holds already; no rseq commands'),
  row('mlock2', 284, 325, mlocks.mlock2, 'no swap: the range is tagged locked (VmLck) and faulted in'),
  row('copy_file_range', 285, 326, splice.copyFileRange),
  row('preadv2', 286, 327, vectored.preadv2),
  row('pwritev2', 287, 328, vectored.pwritev2),
  row('pkey_mprotect', 288, 329),
  row('pkey_alloc', 289, 330),
  row('pkey_free', 290, 331),
  row('statx', 291, 332, path.statx),
  row('io_pgetevents', 292, 333),
  row('rseq', 293, 334, null, 'ENOSYS: glibc runs without it'),
  row('kexec_file_load', 294, 320),
  row('pidfd_send_signal', 424, 424, pidfd.pidfdSendSignal),
  row('io_uring_setup', 425, 425),
  row('io_uring_enter', 426, 426),
  row('io_uring_register', 427, 427),
  row('open_tree', 428, 428),
  row('move_mount', 429, 429),
  row('fsopen', 430, 430),
  row('fsconfig', 431, 431),
  row('fsmount', 432, 432),
  row('fspick', 433, 433),
  row('pidfd_open', 434, 434, pidfd.pidfdOpen),
  row('clone3', 435, 435, null, 'ENOSYS: glibc falls back to clone'),
  row('close_range', 436, 436, closeRange.closeRange),
  row('openat2', 437, 437),
  row('pidfd_getfd', 438, 438, pidfd.pidfdGetfd),
  row('faccessat2', 439, 439, owner.faccessat2),
  row('process_madvise', 440, 440),
  row('epoll_pwait2', 441, 441, epoll.epollPwait2),
  row('mount_setattr', 442, 442),
  row('quotactl_fd', 443, 443),
  row('landlock_create_ruleset', 444, 444),
  row('landlock_add_rule', 445, 445),
  row('landlock_restrict_self', 446, 446),
  row('memfd_secret', 447, 447),
  row('process_mrelease', 448, 448),
  row('futex_waitv', 449, 449),
  row('set_mempolicy_home_node', 450, 450),
  // x86_64 calls asm-generic does not have; most are an *at call with AT_FDCWD.
  row('open', null, 2, legacy.open),
  row('stat', null, 4, legacy.stat),
  row('lstat', null, 6, legacy.lstat),
  row('poll', null, 7, legacy.poll),
  row('access', null, 21, owner.access),
  row('pipe', null, 22, legacy.pipe),
  row('select', null, 23, legacy.select),
  row('dup2', null, 33, legacy.dup2),
  row('pause', null, 34, legacy.pause),
  row('alarm', null, 37, timer.alarm),
  row('clone', null, 56, legacy.cloneX86, 'x86_64 order: child_tid before tls'),
  row('fork', null, 57, legacy.fork),
  row('vfork', null, 58, legacy.vfork),
  row('getdents', null, 78, legacy.getdents),
  row('rename', null, 82, legacy.rename),
  row('mkdir', null, 83, legacy.mkdir),
  row('rmdir', null, 84, legacy.rmdir),
  row('creat', null, 85, legacy.creat),
  row('link', null, 86, legacy.link),
  row('unlink', null, 87, legacy.unlink),
  row('symlink', null, 88, legacy.symlink),
  row('readlink', null, 89, legacy.readlink),
  row('chmod', null, 90, owner.chmod),
  row('chown', null, 92, owner.chown),
  row('lchown', null, 94, owner.lchown),
  row('getpgrp', null, 111, legacy.getpgrp),
  row('utime', null, 132, utimes.utime),
  row('mknod', null, 133, mknod.mknod),
  row('uselib', null, 134),
  row('ustat', null, 136),
  row('sysfs', null, 139),
  row('modify_ldt', null, 154),
  row('_sysctl', null, 156),
  row('arch_prctl', null, 158, legacy.archPrctl, 'ARCH_SET_FS/GET_FS/SET_GS/GET_GS'),
  row('iopl', null, 172),
  row('ioperm', null, 173),
  row('create_module', null, 174),
  row('get_kernel_syms', null, 177),
  row('query_module', null, 178),
  row('getpmsg', null, 181),
  row('putpmsg', null, 182),
  row('afs_syscall', null, 183),
  row('tuxcall', null, 184),
  row('security', null, 185),
  row('time', null, 201, legacy.time),
  row('set_thread_area', null, 205),
  row('get_thread_area', null, 211),
  row('epoll_create', null, 213, epoll.epollCreate),
  row('epoll_ctl_old', null, 214),
  row('epoll_wait_old', null, 215),
  row('epoll_wait', null, 232, epoll.epollWait),
  row('utimes', null, 235, utimes.utimes),
  row('vserver', null, 236),
  row('inotify_init', null, 253, inotify.inotify_init),
  row('futimesat', null, 261, utimes.futimesat),
  row('signalfd', null, 282, sigwait.signalfd),
  row('eventfd', null, 284, legacy.eventfd),
];

/** One arch's view of the table: the row for each number. */
export class SyscallTable {
  private readonly byNumber: (SyscallRow | undefined)[] = [];

  constructor(readonly arch: SyscallArch) {
    for (const r of SYSCALL_ROWS) {
      const nr = r[arch];
      if (nr === null) continue;
      if (this.byNumber[nr] !== undefined) throw new Error(`syscall ${nr} on ${arch} has two rows: ${this.byNumber[nr]!.name} and ${r.name}`);
      this.byNumber[nr] = r;
    }
  }

  row(nr: number): SyscallRow | undefined {
    return this.byNumber[nr];
  }

  handler(nr: number): Syscall | null {
    return this.byNumber[nr]?.handler ?? null;
  }

  name(nr: number): string {
    return this.byNumber[nr]?.name ?? `syscall_${nr}`;
  }

  /** The number of a call on this arch (tests and tools name calls, not numbers). */
  numberOf(name: string): number | undefined {
    const r = SYSCALL_ROWS.find((x) => x.name === name && x[this.arch] !== null);
    return r?.[this.arch] ?? undefined;
  }
}

const tables = new Map<SyscallArch, SyscallTable>();

export function syscallTable(arch: SyscallArch): SyscallTable {
  let t = tables.get(arch);
  if (!t) tables.set(arch, (t = new SyscallTable(arch)));
  return t;
}
