// The kernel configuration this kernel offers where LTP's tst_kconfig and
// distributions look for it (/boot/config-<release>): the options that
// describe what the Linux personality implements, and the ones it does
// not have stated as not set. Nothing is claimed that the calls do not do.

import type { ArchName } from '../arch/arch';
import { KERNEL_RELEASE } from './kernel-identity';

export const KERNEL_CONFIG_PATH = `/boot/config-${KERNEL_RELEASE}`;

const COMMON_YES = [
  'MMU',
  '64BIT',
  'MULTIUSER',
  'FUTEX',
  'EVENTFD',
  'TIMERFD',
  'PROC_FS',
  'PROC_SYSCTL',
  'TMPFS',
  'NET',
  'UNIX',
  'BINFMT_ELF',
  'BINFMT_SCRIPT',
  'PREEMPT',
  'NAMESPACES',
  'UTS_NS',
  'TIME_NS',
  'SYSVIPC',
  'EPOLL',
  'SIGNALFD',
  'MEMBARRIER',
  'KCMP',
  'MEMFD_CREATE',
  'INOTIFY_USER',
  'DNOTIFY',
  // /dev/net/tun, with no interface behind it (tun-device.ts).
  'TUN',
  // What this kernel has of it: the *_next_id files of /proc/sys/kernel and msgrcv's MSG_COPY.
  'CHECKPOINT_RESTORE',
  'POSIX_MQUEUE',
  // Configured, with an empty pool (huge-pages.ts).
  'HUGETLBFS',
  'HUGETLB_PAGE',
];

const COMMON_NO = ['MODULES', 'BLOCK', 'USER_NS', 'PID_NS', 'NET_NS', 'IPC_NS', 'CGROUPS', 'SECCOMP', 'KEYS', 'SWAP', 'FANOTIFY', 'IO_URING', 'BPF_SYSCALL', 'PERF_EVENTS', 'KVM'];

export function kernelConfigText(arch: ArchName): string {
  const yes = arch === 'x86_64' ? ['X86_64', 'X86', ...COMMON_YES] : ['ARM64', 'ARM64_4K_PAGES', ...COMMON_YES];
  const values = arch === 'x86_64' ? ['CONFIG_NR_CPUS=1'] : ['CONFIG_ARM64_PAGE_SHIFT=12', 'CONFIG_ARM64_VA_BITS=48', 'CONFIG_NR_CPUS=1'];
  return [
    '#',
    `# Linux/${arch === 'x86_64' ? 'x86_64' : 'arm64'} ${KERNEL_RELEASE} Kernel Configuration (what the salty kernel implements)`,
    '#',
    ...yes.map((o) => `CONFIG_${o}=y`),
    ...values,
    `CONFIG_LOCALVERSION="-salty"`,
    ...COMMON_NO.map((o) => `# CONFIG_${o} is not set`),
    '',
  ].join('\n');
}
