// /proc/sys: the kernel's tunables with Linux's defaults, as integer or
// string files. Root may write the writable ones (ranges checked as Linux's
// proc_dointvec_minmax does); pid_max bounds the ids the kernel hands out,
// hostname and domainname are what uname reports.

import { ipcLimitFiles } from './proc-sysvipc';
import { currentUts } from './namespaces';
import { procSysKernelFiles } from './proc-sys-kernel';
import { mqueueSysDir } from './posix-mqueue';
import { hugePageSysFiles } from './huge-pages';
import { pipeAccountingFiles } from './pipe-accounting';
import { hostRandomUuid } from '../host-random';
import { EINVAL } from './errno';
import { KERNEL_RELEASE, KERNEL_VERSION } from './kernel-identity';
import type { LinuxSystem } from './linux-system';
import { procDir, type ProcEntry } from './proc-fs';
import { roundPipeSize } from '../vfs/pipe';
import { inotifySysDir } from './sys-inotify';
import { leaseBreakTimeFile } from './lease-break';
import { openFiles } from './file-table';

/** Linux's PID_MAX_LIMIT on 64-bit; pid_max cannot go below RESERVED_PIDS + 1. */
const PID_MAX_LIMIT = 4194304;
const RESERVED_PIDS = 300;

interface Tunables {
  pidMax: number;
  threadsMax: number;
  tainted: number;
  overflowuid: number;
  overflowgid: number;
  pipeMaxSize: number;
  fileMax: number;
  epollMaxUserWatches: number;
  nrOpen: number;
  overcommitMemory: number;
  overcommitRatio: number;
  maxMapCount: number;
  bootId: string;
}

const state = new WeakMap<LinuxSystem, Tunables>();

function tunables(sys: LinuxSystem): Tunables {
  let t = state.get(sys);
  if (!t) {
    const ram = sys.kernel.mm.pmm.frameCount * 4096;
    // Linux: max_threads = RAM / (8 * THREAD_SIZE), THREAD_SIZE 16 KiB; file-max about one file per 10 KiB.
    const threadsMax = Math.max(20, Math.floor(ram / (8 * 16384)));
    t = { pidMax: 32768, threadsMax, tainted: 0, overflowuid: 65534, overflowgid: 65534, pipeMaxSize: 1048576, fileMax: Math.max(8192, Math.floor(ram / 10240)), epollMaxUserWatches: epollWatchesFor(ram), nrOpen: 1048576, overcommitMemory: 0, overcommitRatio: 50, maxMapCount: 65530, bootId: hostRandomUuid() };
    state.set(sys, t);
  }
  return t;
}

/** The highest id + 1 the kernel may hand out. */
export const pidMax = (sys: LinuxSystem): number => tunables(sys).pidMax;
/** The lowest id a wrapped allocation restarts from. */
export const PID_WRAP_START = RESERVED_PIDS;
export const pipeMaxSize = (sys: LinuxSystem): number => tunables(sys).pipeMaxSize;
/** vm.max_map_count: the mappings a process may have (mmap answers ENOMEM past it). */
export const maxMapCount = (sys: LinuxSystem): number => tunables(sys).maxMapCount;
/** vm.overcommit_memory and vm.overcommit_ratio (vm-limits.ts applies them). */
export const overcommitPolicy = (sys: LinuxSystem): { mode: number; ratio: number } => ({ mode: tunables(sys).overcommitMemory, ratio: tunables(sys).overcommitRatio });
/** kernel.threads-max: clone answers EAGAIN once the system has this many threads. */
export const threadsMax = (sys: LinuxSystem): number => tunables(sys).threadsMax;
/** fs.epoll.max_user_watches: epoll interest entries a user may hold (epoll-watches.ts). */
export const epollMaxUserWatches = (sys: LinuxSystem): number => tunables(sys).epollMaxUserWatches;
/** Linux's default: 4% of RAM over EP_ITEM_COST (struct epitem and eppoll_entry, 184 bytes on 64-bit). */
function epollWatchesFor(ram: number): number {
  return Math.floor((Math.floor(ram / 4096 / 25) * 4096) / 184);
}
/** fs.file-max: open file descriptions past it are ENFILE (file-table.ts). */
export const fileMax = (sys: LinuxSystem): number => tunables(sys).fileMax;
/** RLIMIT_SIGPENDING's default: half of threads-max. */
export const sigQueueMax = (sys: LinuxSystem): number => Math.floor(tunables(sys).threadsMax / 2);

/** Parses one integer as proc_dointvec does: optional blanks and sign, digits, optional blanks. */
function parseInt10(text: string): number | null {
  const m = /^\s*([-+]?\d+)\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}

type IntKey = { [K in keyof Tunables]: Tunables[K] extends number ? K : never }[keyof Tunables];

function intFile(sys: LinuxSystem, key: IntKey, min = -(2 ** 31), max = 2 ** 31 - 1): ProcEntry {
  return {
    kind: 'file',
    perm: 0o644,
    source: {
      sysctl: true,
      read: () => `${tunables(sys)[key]}\n`,
      write: (text) => {
        const v = parseInt10(text);
        if (v === null || v < min || v > max) return -EINVAL;
        tunables(sys)[key] = v;
        return text.length;
      },
    },
  };
}

/** hostname and domainname: the names of the reading process's UTS namespace. */
function stringFile(sys: LinuxSystem, key: 'hostname' | 'domainname'): ProcEntry {
  return {
    kind: 'file',
    perm: 0o644,
    source: {
      sysctl: true,
      read: () => `${currentUts(sys)[key]}\n`,
      write: (text) => {
        currentUts(sys)[key] = text.split('\n')[0].slice(0, 64);
        return text.length;
      },
    },
  };
}

/** pipe-max-size stores the value rounded as F_SETPIPE_SZ rounds (a power of two of pages). */
function pipeMaxFile(sys: LinuxSystem): ProcEntry {
  const e = intFile(sys, 'pipeMaxSize', 0, 2 ** 31);
  if (e.kind !== 'file') return e;
  const write = (text: string): number => {
    const v = parseInt10(text);
    const size = v === null || v < 0 ? 0 : roundPipeSize(v);
    if (size === 0) return -EINVAL;
    tunables(sys).pipeMaxSize = size;
    return text.length;
  };
  return { ...e, source: { ...e.source, write } };
}

const constant = (text: () => string): ProcEntry => ({ kind: 'file', perm: 0o444, source: { sysctl: true, read: () => `${text()}\n` } });

export function procSysDir(sys: LinuxSystem): ProcEntry {
  const t = (): Tunables => tunables(sys);
  const kernel = procDir({
    pid_max: () => intFile(sys, 'pidMax', RESERVED_PIDS + 1, PID_MAX_LIMIT),
    'threads-max': () => intFile(sys, 'threadsMax', 20, 0x3fffffff),
    tainted: () => intFile(sys, 'tainted', 0),
    hostname: () => stringFile(sys, 'hostname'),
    domainname: () => stringFile(sys, 'domainname'),
    ostype: () => constant(() => 'Linux'),
    osrelease: () => constant(() => KERNEL_RELEASE),
    version: () => constant(() => KERNEL_VERSION),
    ngroups_max: () => constant(() => '65536'),
    cap_last_cap: () => constant(() => '40'),
    overflowuid: () => intFile(sys, 'overflowuid', 0, 65535),
    overflowgid: () => intFile(sys, 'overflowgid', 0, 65535),
    ...ipcLimitFiles(sys),
    ...procSysKernelFiles(sys),
    random: () =>
      procDir({
        boot_id: () => constant(() => t().bootId),
        uuid: () => constant(() => hostRandomUuid()),
        entropy_avail: () => constant(() => '256'),
        poolsize: () => constant(() => '256'),
      }),
  });
  const fs = procDir({
    'pipe-max-size': () => pipeMaxFile(sys),
    'file-max': () => intFile(sys, 'fileMax', 0, Number.MAX_SAFE_INTEGER),
    nr_open: () => intFile(sys, 'nrOpen', 64, 1073741816),
    inotify: () => inotifySysDir(),
    epoll: () => procDir({ max_user_watches: () => intFile(sys, 'epollMaxUserWatches', 0, Number.MAX_SAFE_INTEGER) }),
    'lease-break-time': () => leaseBreakTimeFile(),
    mqueue: () => mqueueSysDir(sys),
    ...pipeAccountingFiles(sys),
    'file-nr': () => constant(() => `${openFiles(sys)}\t0\t${t().fileMax}`),
  });
  const vm = procDir({
    overcommit_memory: () => intFile(sys, 'overcommitMemory', 0, 2),
    overcommit_ratio: () => intFile(sys, 'overcommitRatio', 0),
    max_map_count: () => intFile(sys, 'maxMapCount', 0),
    ...hugePageSysFiles(sys),
  });
  return procDir({ kernel: () => kernel, fs: () => fs, vm: () => vm });
}
