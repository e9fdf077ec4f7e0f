// The System V IPC namespace shared by shared memory, semaphores and message
// queues: one table of objects per kind, found by key or by id, with Linux's
// id layout (sequence number << 15 | slot), its permission rules and the
// ipc64_perm layout every *_ds struct starts with.

import { EACCES, EEXIST, EINVAL, ENOENT, ENOSPC, EPERM } from './errno';

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;
export const IPC_INFO = 3;

/** Slots per table (IPCMNI without ipcmni_extend) and the shift of the sequence number. */
const SLOT_BITS = 15;
export const IPC_SLOTS = 32000;

export interface IpcPerm {
  key: number;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  /** Permission bits (0777) and the kind's own flags above them (SHM_DEST, SHM_LOCKED). */
  mode: number;
  readonly seq: number;
}

export interface IpcObject {
  readonly id: number;
  readonly perm: IpcPerm;
  /** Gone: later lookups by id answer EINVAL (an attached segment lingers until detached). */
  removed?: boolean;
}

/** Who is asking: the caller's effective ids (the guest runs as root until credentials exist). */
export interface IpcCaller {
  readonly uid: number;
  readonly gid: number;
}

export const ROOT_CALLER: IpcCaller = { uid: 0, gid: 0 };

export class IpcTable<T extends IpcObject> {
  private readonly slots = new Map<number, T>();
  /** The object made last with each key (byKey checks it still has that key: shm's IPC_RMID clears it). */
  private readonly keys = new Map<number, T>();
  /** What measure adds up over the live objects (the semaphores of every set, for SEMMNS), kept as they come and go. */
  total = 0;
  measure: (o: T) => number = () => 0;
  private seq = 0;
  private lastSlot = -1;
  /** The id the next object gets (/proc/sys/kernel/*_next_id, checkpoint/restore); -1 when unset. */
  nextId = -1;

  /** limit: the kind's MNI (SHMMNI is 4096, SEMMNI and MSGMNI 32000), which /proc/sys/kernel may change. */
  constructor(public limit = IPC_SLOTS) {}

  /** The live object with this key (never for IPC_PRIVATE). */
  byKey(key: number): T | undefined {
    if (key === IPC_PRIVATE) return undefined;
    const o = this.keys.get(key);
    return o && o.perm.key === key && !o.removed ? o : undefined;
  }

  /** The object an id names; undefined for a stale sequence number or an empty slot. */
  byId(id: number): T | undefined {
    if (id < 0) return undefined;
    const o = this.slots.get(id & ((1 << SLOT_BITS) - 1));
    return o && o.id === id && !o.removed ? o : undefined;
  }

  /** The object in slot index (SHM_STAT, SEM_STAT, MSG_STAT). */
  bySlot(index: number): T | undefined {
    const o = this.slots.get(index);
    return o && !o.removed ? o : undefined;
  }

  /** Makes a new object in the next free slot (cyclically, as Linux does); -ENOSPC when full. */
  add(key: number, mode: number, caller: IpcCaller, make: (id: number, perm: IpcPerm) => T): T | number {
    if (this.slots.size >= Math.min(this.limit, IPC_SLOTS)) return -ENOSPC;
    if (this.nextId >= 0) return this.addAt(key, mode, caller, make);
    let slot = (this.lastSlot + 1) % IPC_SLOTS;
    while (this.slots.has(slot)) slot = (slot + 1) % IPC_SLOTS;
    if (slot <= this.lastSlot) this.seq = (this.seq + 1) % (1 << 16);
    this.lastSlot = slot;
    const perm: IpcPerm = { key, uid: caller.uid, gid: caller.gid, cuid: caller.uid, cgid: caller.gid, mode: mode & 0o777, seq: this.seq };
    const o = make((this.seq << SLOT_BITS) | slot, perm);
    this.added(slot, o);
    return o;
  }

  /** Linux's allocation for a requested id: its sequence number, in its slot or the first free one above. */
  private addAt(key: number, mode: number, caller: IpcCaller, make: (id: number, perm: IpcPerm) => T): T | number {
    const seq = this.nextId >>> SLOT_BITS;
    let slot = this.nextId & ((1 << SLOT_BITS) - 1);
    this.nextId = -1;
    while (this.slots.has(slot)) slot++;
    if (slot >= 1 << SLOT_BITS) return -ENOSPC;
    const perm: IpcPerm = { key, uid: caller.uid, gid: caller.gid, cuid: caller.uid, cgid: caller.gid, mode: mode & 0o777, seq };
    const o = make(seq * (1 << SLOT_BITS) + slot, perm);
    this.added(slot, o);
    return o;
  }

  private added(slot: number, o: T): void {
    this.slots.set(slot, o);
    if (o.perm.key !== IPC_PRIVATE) this.keys.set(o.perm.key, o);
    this.total += this.measure(o);
  }

  /** Frees the slot of o. */
  remove(o: T): void {
    const slot = o.id & ((1 << SLOT_BITS) - 1);
    if (this.slots.get(slot) === o) {
      this.slots.delete(slot);
      if (!o.removed) this.total -= this.measure(o);
    }
    o.removed = true;
    if (this.keys.get(o.perm.key) === o) this.keys.delete(o.perm.key);
  }

  /** The highest slot in use (what IPC_INFO returns), 0 when empty. */
  get highestSlot(): number {
    let max = 0;
    for (const s of this.slots.keys()) max = Math.max(max, s);
    return max;
  }

  get count(): number {
    return this.slots.size;
  }

  values(): IterableIterator<T> {
    return this.slots.values();
  }
}

/**
 * The get call's common part: the object for key, or a new one made by make.
 * Returns the object, a negative errno, or null when the caller must create.
 */
export function lookupForGet<T extends IpcObject>(table: IpcTable<T>, key: number, flags: number, caller: IpcCaller, moreChecks: (o: T) => number = () => 0): T | number | null {
  if (key === IPC_PRIVATE) return null;
  const o = table.byKey(key);
  if (!o) return (flags & IPC_CREAT) !== 0 ? null : -ENOENT;
  if ((flags & (IPC_CREAT | IPC_EXCL)) === (IPC_CREAT | IPC_EXCL)) return -EEXIST;
  const more = moreChecks(o);
  if (more < 0) return more;
  if (!ipcAllowed(o.perm, caller, flags & 0o777)) return -EACCES;
  return o;
}

/** Linux's ipcperms: the owner's, group's or others' bits must hold every bit asked for (root may do anything). */
export function ipcAllowed(perm: IpcPerm, caller: IpcCaller, requested: number): boolean {
  if (caller.uid === 0) return true;
  const want = (requested >> 6) | (requested >> 3) | requested;
  let granted = perm.mode;
  if (caller.uid === perm.uid || caller.uid === perm.cuid) granted >>= 6;
  else if (caller.gid === perm.gid || caller.gid === perm.cgid) granted >>= 3;
  return (want & ~granted & 0o7) === 0;
}

/** IPC_SET and IPC_RMID: only the owner, the creator or root. */
export function ipcOwnerCheck(perm: IpcPerm, caller: IpcCaller): number {
  return caller.uid === 0 || caller.uid === perm.uid || caller.uid === perm.cuid ? 0 : -EPERM;
}

/** Writes an ipc64_perm (48 bytes) at off. */
export function encodePerm(v: DataView, off: number, p: IpcPerm): void {
  v.setInt32(off, p.key, true);
  v.setUint32(off + 4, p.uid, true);
  v.setUint32(off + 8, p.gid, true);
  v.setUint32(off + 12, p.cuid, true);
  v.setUint32(off + 16, p.cgid, true);
  v.setUint32(off + 20, p.mode, true);
  v.setUint16(off + 24, p.seq, true);
}

/** IPC_SET's part of an ipc64_perm: the new owner and permission bits. */
export function applyPermSet(perm: IpcPerm, v: DataView, off: number): void {
  perm.uid = v.getUint32(off + 4, true);
  perm.gid = v.getUint32(off + 8, true);
  perm.mode = (perm.mode & ~0o777) | (v.getUint32(off + 20, true) & 0o777);
}

/** 64-bit little-endian store of a non-negative number. */
export function setU64(v: DataView, off: number, x: number): void {
  v.setUint32(off, x % 4294967296 >>> 0, true);
  v.setUint32(off + 4, Math.floor(x / 4294967296) >>> 0, true);
}

export function checkCmd(cmd: number, known: readonly number[]): number {
  return known.includes(cmd) ? 0 : -EINVAL;
}
