// Namespaces: each process belongs to one namespace of each kind, shown as
// /proc/PID/ns/<kind> ("uts:[4026531838]"), which setns(2) takes back as a
// descriptor. UTS namespaces hold their own hostname and domainname; a mount
// namespace is a copy of a mount table the guest cannot change (no mount(2));
// time namespaces hold CLOCK_MONOTONIC and CLOCK_BOOTTIME offsets. ipc, net
// and pid have only the initial namespace (unshare answers EINVAL for them,
// as a kernel built without them does).

import type { MemFile } from '../vfs/node';
import { CAP_SYS_ADMIN } from './credentials';
import { EINVAL, EPERM } from './errno';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { ProcEntry } from './proc-fs';

export const CLONE_NEWTIME = 0x80;
export const CLONE_NEWNS = 0x20000;
export const CLONE_NEWCGROUP = 0x2000000;
export const CLONE_NEWUTS = 0x4000000;
export const CLONE_NEWIPC = 0x8000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

export type NsKind = 'ipc' | 'mnt' | 'net' | 'pid' | 'uts' | 'time';

/** The CLONE_NEW* flag of each kind (setns's nstype). */
export const NS_FLAG: Record<NsKind, number> = { ipc: CLONE_NEWIPC, mnt: CLONE_NEWNS, net: CLONE_NEWNET, pid: CLONE_NEWPID, uts: CLONE_NEWUTS, time: CLONE_NEWTIME };

/** The flags unshare and clone can make a new namespace for. */
export const SUPPORTED_NEW = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWTIME;
/** Every CLONE_NEW* flag Linux knows. */
export const ALL_NEW = CLONE_NEWTIME | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

export class Namespace {
  constructor(
    readonly kind: NsKind,
    /** The nsfs inode number readlink and stat show. */
    readonly inum: number,
  ) {}
}

export class UtsNamespace extends Namespace {
  constructor(
    inum: number,
    public hostname: string,
    public domainname: string,
  ) {
    super('uts', inum);
  }
}

export class TimeNamespace extends Namespace {
  /** CLOCK_MONOTONIC's and CLOCK_BOOTTIME's offsets in ns, writable until a process enters the namespace. */
  monotonicNs = 0;
  boottimeNs = 0;
  /** A process has entered it: its offsets are fixed (Linux's frozen_offsets). */
  frozen = false;

  constructor(inum: number) {
    super('time', inum);
  }
}

/** The namespaces a process is in; time_for_children is where its next children go (unshare(CLONE_NEWTIME)). */
export interface NsSet {
  readonly ipc: Namespace;
  readonly mnt: Namespace;
  readonly net: Namespace;
  readonly pid: Namespace;
  readonly uts: UtsNamespace;
  readonly time: TimeNamespace;
  readonly timeForChildren: TimeNamespace;
}

/** Linux's inode numbers of the initial namespaces (PROC_*_INIT_INO); later ones count up from NEXT_INUM. */
const INIT_INUM: Record<NsKind, number> = { ipc: 0xefffffff, uts: 0xeffffffe, pid: 0xeffffffc, time: 0xeffffffa, net: 0xf0000000, mnt: 0xf0000001 };
const NEXT_INUM = 0xf0000100;

interface SystemNs {
  initial: NsSet;
  nextInum: number;
  /** The nsfs file of each namespace, so that opening /proc/PID/ns/X twice reaches one inode. */
  files: WeakMap<Namespace, MemFile>;
  byFile: WeakMap<MemFile, Namespace>;
}

const systems = new WeakMap<LinuxSystem, SystemNs>();
const sets = new WeakMap<LinuxProcess, NsSet>();

function systemNs(sys: LinuxSystem): SystemNs {
  let s = systems.get(sys);
  if (!s) {
    const time = new TimeNamespace(INIT_INUM.time);
    const initial: NsSet = {
      ipc: new Namespace('ipc', INIT_INUM.ipc),
      mnt: new Namespace('mnt', INIT_INUM.mnt),
      net: new Namespace('net', INIT_INUM.net),
      pid: new Namespace('pid', INIT_INUM.pid),
      uts: new UtsNamespace(INIT_INUM.uts, 'salty', '(none)'),
      time,
      timeForChildren: time,
    };
    s = { initial, nextInum: NEXT_INUM, files: new WeakMap(), byFile: new WeakMap() };
    systems.set(sys, s);
  }
  return s;
}

/** The namespaces p is in (the initial ones until it unshares or setns's). */
export function nsOf(sys: LinuxSystem, p: LinuxProcess): NsSet {
  return sets.get(p) ?? systemNs(sys).initial;
}

export function setNs(p: LinuxProcess, set: NsSet): void {
  sets.set(p, set);
}

/** The UTS namespace of the process whose call is running (uname, /proc/sys/kernel/hostname). */
export function currentUts(sys: LinuxSystem): UtsNamespace {
  const p = sys.currentProcess;
  return p ? nsOf(sys, p).uts : systemNs(sys).initial.uts;
}

/** A copy of set with new namespaces of the kinds flags name (SUPPORTED_NEW only; the caller checked). */
export function withNew(sys: LinuxSystem, set: NsSet, flags: number, forChild: boolean): NsSet {
  const s = systemNs(sys);
  const inum = (): number => s.nextInum++;
  let next: NsSet = set;
  if (flags & CLONE_NEWUTS) next = { ...next, uts: new UtsNamespace(inum(), set.uts.hostname, set.uts.domainname) };
  if (flags & CLONE_NEWNS) next = { ...next, mnt: new Namespace('mnt', inum()) };
  if (flags & CLONE_NEWTIME) {
    const time = new TimeNamespace(inum());
    // clone puts the child straight in; unshare only names where the caller's next children go.
    next = forChild ? { ...next, time, timeForChildren: time } : { ...next, timeForChildren: time };
  }
  return next;
}

/** clone: the child is in its parent's namespaces, except the time namespace the parent chose for its children, and the new ones flags ask for. */
export function inheritNs(sys: LinuxSystem, parent: LinuxProcess, child: LinuxProcess, flags: number): void {
  const set = nsOf(sys, parent);
  let next = set.time === set.timeForChildren ? set : { ...set, time: set.timeForChildren };
  const fresh = flags & SUPPORTED_NEW & ~CLONE_NEWTIME;
  if (fresh) next = withNew(sys, next, fresh, true);
  next.time.frozen = true;
  if (next !== systemNs(sys).initial) sets.set(child, next);
}

const CLONE_THREAD = 0x10000;

/** clone's namespace flags: EINVAL for the kinds salty lacks and with CLONE_THREAD, EPERM without CAP_SYS_ADMIN. */
export function checkCloneNs(c: { readonly p: LinuxProcess }, flags: number): number {
  const fresh = flags & ALL_NEW & ~CLONE_NEWTIME;
  // clone's low byte is the exit signal, so clone cannot ask for CLONE_NEWTIME (only clone3 and unshare can).
  if (!fresh) return 0;
  if (fresh & ~SUPPORTED_NEW || flags & CLONE_THREAD) return -EINVAL;
  return c.p.creds.capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/** execve: a process that unshared a time namespace enters it (Linux's exec_task_namespaces). */
export function enterTimeNsAtExec(sys: LinuxSystem, p: LinuxProcess): void {
  const set = nsOf(sys, p);
  if (set.time === set.timeForChildren) return;
  set.timeForChildren.frozen = true;
  sets.set(p, { ...set, time: set.timeForChildren });
}

/** The nsfs file of ns (made on first use). */
function nsFile(sys: LinuxSystem, ns: Namespace): MemFile {
  const s = systemNs(sys);
  let f = s.files.get(ns);
  if (!f) {
    f = sys.fs.newFile(new Uint8Array(0), 0o444);
    s.files.set(ns, f);
    s.byFile.set(f, ns);
  }
  return f;
}

/** The namespace an open nsfs file stands for (undefined for any other file). */
export function namespaceOfFile(sys: LinuxSystem, node: unknown): Namespace | undefined {
  return node && typeof node === 'object' ? systemNs(sys).byFile.get(node as MemFile) : undefined;
}

const LISTED = ['ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'uts'];

/** /proc/PID/ns: one magic link per namespace. */
export function nsDir(sys: LinuxSystem, p: LinuxProcess): ProcEntry {
  const pick = (name: string): Namespace | undefined => {
    const set = nsOf(sys, p);
    if (name === 'pid_for_children') return set.pid;
    if (name === 'time_for_children') return set.timeForChildren;
    return LISTED.includes(name) ? set[name as NsKind] : undefined;
  };
  return {
    kind: 'dir',
    perm: 0o511,
    uid: p.creds.euid,
    gid: p.creds.egid,
    names: () => [...LISTED],
    child: (name) => {
      const ns = pick(name);
      return ns ? { kind: 'link', target: `${ns.kind}:[${ns.inum}]`, magic: nsFile(sys, ns) } : null;
    },
  };
}

const CLOCK_MONOTONIC = 1;
const CLOCK_MONOTONIC_RAW = 4;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_BOOTTIME = 7;
const CLOCK_BOOTTIME_ALARM = 9;

/** What p's time namespace adds to a clock (ms): its monotonic offset to the monotonic clocks, its boottime offset to the boot-time ones. */
export function timeOffsetMs(sys: LinuxSystem, p: LinuxProcess | undefined, clockId: number): number {
  if (!p) return 0;
  const ns = nsOf(sys, p).time;
  if (clockId === CLOCK_MONOTONIC || clockId === CLOCK_MONOTONIC_RAW || clockId === CLOCK_MONOTONIC_COARSE) return ns.monotonicNs / 1e6;
  if (clockId === CLOCK_BOOTTIME || clockId === CLOCK_BOOTTIME_ALARM) return ns.boottimeNs / 1e6;
  return 0;
}
