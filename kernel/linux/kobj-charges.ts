// What the Linux personality charges to guest memory for its kernel objects
// (the ledger is kernel/mm/kobj-ledger.ts). The sizes follow what Linux on
// arm64 allocates for the same object, so a guest meets the limit where a
// Linux of the same RAM would; they are also at least twice what the object
// costs salty's host heap, so that the host holds at most -m plus half of it.
//
// Threads and processes are charged when clone makes them (a charge that
// cannot be met fails the clone with ENOMEM); address-space regions and
// descriptors are counted against the process when its syscall returns.

import type { KobjAccount, KobjLedger } from '../mm/kobj-ledger';
import type { AddressSpace } from '../process/address-space';
import { setQueueMeter } from '../vfs/byte-queue';
import type { FdTable } from '../vfs/fd-table';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { EAGAIN, ENOMEM } from './errno';
import { threadsMax } from './proc-sys';
import { zombieReaped } from './task-count';
import { enableFileTable } from './file-table';
import { enableSocketCharges } from './socket-charges';
import { enableInotifyCharges } from './inotify-charges';

/**
 * Buffers of guest bytes the host holds besides guest RAM (pipe and socket
 * queues, a shared file mapping's copy) are charged twice their size: RAM
 * pages once touched stay in the host's memory after they are freed, so a
 * guest that fills RAM, frees it, and then fills such buffers makes the host
 * hold RAM plus what the buffers were charged; at twice, that is at most half
 * of -m more.
 */
export const HOST_BYTES_FACTOR = 2;

/** SysV message queues and their messages: charges that outlive every process (a queue stays until IPC_RMID). */
export const MSG_CHARGE_KIND = 'sysv-msg';
/** SysV semaphore sets, which outlive their processes too. */
export const SEM_CHARGE_KIND = 'sysv-sem';

/** Bytes charged per object of each kind. */
export const KOBJ_BYTES = {
  /** THREAD_SIZE on arm64. */
  'kernel-stack': 16384,
  /** task_struct with its thread state and pending-signal queue head. */
  task: 8192,
  /** mm_struct, signal_struct, sighand_struct (64 handlers), files_struct, fs_struct and cred. */
  process: 8192,
  /**
   * vm_area_struct and its share of the anon_vma chains; twice what a region
   * costs salty's heap (about 200 bytes: a million regions, max_map_count
   * lifted, after a hog had touched all of RAM, took the host to 553 MiB
   * under -m 256M at 256 bytes a region).
   */
  vma: 512,
  /** A descriptor slot and the open file description behind it (struct file). */
  descriptor: 320,
  /** A MemoryObject's header (address_space/anon_vma and its radix root). */
  'memory-object': 512,
} as const;


/** A queued futex waiter: its record, key string and queue slot on the host (Linux's futex_q, on the waiter's stack). */
const FUTEX_WAITER_BYTES = 256;

const accounts = new WeakMap<LinuxProcess, KobjAccount>();
/** What each thread and process was charged, released when it goes. */
const threadCharges = new WeakMap<LinuxThread, number>();
const processCharges = new WeakMap<LinuxProcess, number>();
const THREAD_BYTES = KOBJ_BYTES['kernel-stack'] + KOBJ_BYTES.task;

/** The process's share of charged kernel memory (for the OOM killer's badness). */
export function accountOf(p: LinuxProcess): KobjAccount {
  let a = accounts.get(p);
  if (!a) accounts.set(p, (a = { kobjBytes: 0 }));
  return a;
}

export function ledgerOf(sys: LinuxSystem): KobjLedger {
  return sys.kernel.mm.kobjs;
}

/**
 * Frames kept for user pages: a kernel-object charge that would take the
 * last 1/64 of RAM fails (fork answers ENOMEM), so the caller still has room
 * to go on, as Linux's watermarks keep kernel allocations off the last pages.
 */
const RESERVE_SHARE = 64;

/** What one more mapping of an already mapped page is charged (kind shared-mapping, memory-object.ts SharedMappingCharge). */
const SHARED_MAPPING_BYTES = 512;

/** Starts charging: MemoryObject headers from now on, and the first process. */
export function enableCharging(sys: LinuxSystem): void {
  enableFileTable(sys);
  enableSocketCharges(sys);
  enableInotifyCharges(sys);
  const mm = sys.kernel.mm;
  mm.moChargeBytes = KOBJ_BYTES['memory-object'];
  // A page's mappings beyond its first: the reverse-map entry and the VSpace's record, about 440 bytes on the host.
  mm.sharedMappings.bytes = SHARED_MAPPING_BYTES;
  mm.kobjs.reserveFrames = Math.floor(mm.pmm.frameCount / RESERVE_SHARE);
  const ledger = mm.kobjs;
  // Futex waiters: one record each while queued (kind futex-waiter).
  sys.futexes.meter = { charge: () => ledger.tryCharge('futex-waiter', FUTEX_WAITER_BYTES), release: () => ledger.release('futex-waiter', FUTEX_WAITER_BYTES) };
  // Pipe and socket buffers: their chunks as the host holds them (a full page per partly filled page),
  // counted to the writer for the OOM killer (Linux charges them to the writer's memory cgroup).
  setQueueMeter({
    grow: (b) => {
      const writer = sys.currentProcess;
      const a = writer ? accountOf(writer) : undefined;
      ledger.charge('pipe-socket-buffer', HOST_BYTES_FACTOR * b, a);
      return a;
    },
    shrink: (b, a) => ledger.release('pipe-socket-buffer', HOST_BYTES_FACTOR * b, a as KobjAccount | undefined),
  });
}

/**
 * Clone's check and charge of a new thread (and a new process unless it is a
 * thread of p): 0 with the charge taken, -EAGAIN past threads-max, -ENOMEM
 * (nothing taken) when guest memory cannot hold it.
 */
export function cloneCharge(sys: LinuxSystem, p: LinuxProcess, newProcess: boolean): number {
  if (sys.threads.size >= threadsMax(sys)) return -EAGAIN;
  return chargeClone(sys, p, newProcess) ? 0 : -ENOMEM;
}

function chargeClone(sys: LinuxSystem, p: LinuxProcess, newProcess: boolean): boolean {
  const ledger = ledgerOf(sys);
  const a = accountOf(p);
  if (!ledger.tryCharge('kernel-stack', KOBJ_BYTES['kernel-stack'], a, true)) return false;
  if (!ledger.tryCharge('task', KOBJ_BYTES.task, a, true)) {
    ledger.release('kernel-stack', KOBJ_BYTES['kernel-stack'], a);
    return false;
  }
  if (newProcess && !ledger.tryCharge('process', KOBJ_BYTES.process, a, true)) {
    releaseThreadBytes(ledger, a);
    return false;
  }
  return true;
}

/** Gives back a charge taken by chargeClone whose clone then failed. */
export function unchargeClone(sys: LinuxSystem, p: LinuxProcess, newProcess: boolean): void {
  const ledger = ledgerOf(sys);
  const a = accountOf(p);
  releaseThreadBytes(ledger, a);
  if (newProcess) ledger.release('process', KOBJ_BYTES.process, a);
}

/** The clone succeeded: its charges move to the new thread (and process) and go when they do. */
export function adoptClone(sys: LinuxSystem, parent: LinuxProcess, t: LinuxThread): void {
  const pa = accountOf(parent);
  const ca = accountOf(t.proc);
  const moved = THREAD_BYTES + (t.proc !== parent ? KOBJ_BYTES.process : 0);
  pa.kobjBytes -= moved;
  ca.kobjBytes += moved;
  threadCharges.set(t, THREAD_BYTES);
  if (t.proc !== parent) processCharges.set(t.proc, KOBJ_BYTES.process);
}

/** The first process: charged without a choice (there is nothing to fail to). */
export function chargeFirst(sys: LinuxSystem, t: LinuxThread): void {
  if (!chargeClone(sys, t.proc, true)) return;
  threadCharges.set(t, THREAD_BYTES);
  processCharges.set(t.proc, KOBJ_BYTES.process);
}

export function releaseThread(sys: LinuxSystem, t: LinuxThread): void {
  // Its queued signals go with it (their entries were counted when queued).
  t.pending.clear();
  if (!threadCharges.delete(t)) return;
  releaseThreadBytes(ledgerOf(sys), accountOf(t.proc));
}

/** The process left the table (reaped): its task-level state goes. */
export function releaseProcess(sys: LinuxSystem, p: LinuxProcess): void {
  zombieReaped(sys, p);
  if (!processCharges.delete(p)) return;
  ledgerOf(sys).release('process', KOBJ_BYTES.process, accountOf(p));
}

function releaseThreadBytes(ledger: KobjLedger, a: KobjAccount): void {
  ledger.release('kernel-stack', KOBJ_BYTES['kernel-stack'], a);
  ledger.release('task', KOBJ_BYTES.task, a);
}

interface Counted {
  count: number;
  account: KobjAccount;
}

const vmaCounts = new WeakMap<AddressSpace, Counted>();
const fdCounts = new WeakMap<FdTable, Counted>();

/**
 * Counts p's regions and descriptors against guest memory as they are now.
 * False when a growth could not be charged (the caller runs the OOM killer;
 * the difference is charged at a later sync).
 */
export function syncCounts(sys: LinuxSystem, p: LinuxProcess): boolean {
  const okVma = p.mem.users > 0 ? sync(sys, vmaCounts, p.mem, p.mem.vs.regions.length, 'vma', p) : true;
  const okFd = sync(sys, fdCounts, p.fds, p.fds.count, 'descriptor', p);
  return okVma && okFd;
}

/** An address space or descriptor table went: whatever it was counted goes too. */
export function releaseCounts(sys: LinuxSystem, mem: AddressSpace | null, fds: FdTable | null): void {
  if (mem) sync(sys, vmaCounts, mem, 0, 'vma', null);
  if (fds) sync(sys, fdCounts, fds, 0, 'descriptor', null);
}

function sync<K extends object>(sys: LinuxSystem, map: WeakMap<K, Counted>, key: K, now: number, kind: 'vma' | 'descriptor', p: LinuxProcess | null): boolean {
  let c = map.get(key);
  if (!c) {
    if (now === 0 || !p) return true;
    map.set(key, (c = { count: 0, account: accountOf(p) }));
  }
  if (now === c.count) return true;
  const ledger = ledgerOf(sys);
  const per = KOBJ_BYTES[kind];
  if (now < c.count) {
    ledger.release(kind, (c.count - now) * per, c.account);
    c.count = now;
    if (now === 0) map.delete(key);
    return true;
  }
  if (!ledger.tryCharge(kind, (now - c.count) * per, c.account)) return false;
  c.count = now;
  return true;
}
