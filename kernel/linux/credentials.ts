// A process's credentials: real, effective, saved and filesystem user and
// group ids, supplementary groups, and capability sets, with the rules
// Linux applies when the ids change (capabilities follow root) and at exec.
// Capability sets are two 32-bit words (Linux 6.1 has 41 capabilities).

import { readFileSync } from 'node:fs';

export const CAP_CHOWN = 0;
export const CAP_DAC_OVERRIDE = 1;
export const CAP_DAC_READ_SEARCH = 2;
export const CAP_FOWNER = 3;
export const CAP_FSETID = 4;
export const CAP_KILL = 5;
export const CAP_SETGID = 6;
export const CAP_SETUID = 7;
export const CAP_SETPCAP = 8;
export const CAP_LINUX_IMMUTABLE = 9;
export const CAP_SYS_ADMIN = 21;
export const CAP_SYS_RESOURCE = 24;
export const CAP_MKNOD = 27;
export const CAP_MAC_OVERRIDE = 32;
/** CAP_CHECKPOINT_RESTORE, the last one Linux 6.1 knows. */
export const CAP_LAST_CAP = 40;

/** A capability set: bits 0-31 and 32-63. */
export type CapSet = [number, number];

export const NO_CAPS: CapSet = [0, 0];
export const ALL_CAPS: CapSet = [0xffffffff, (1 << (CAP_LAST_CAP - 31)) - 1];

/** The capabilities that follow the filesystem uid (Linux's CAP_FS_MASK). */
const FS_CAPS: CapSet = [(1 << CAP_CHOWN) | (1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH) | (1 << CAP_FOWNER) | (1 << CAP_FSETID) | (1 << CAP_LINUX_IMMUTABLE) | (1 << CAP_MKNOD), 1 << (CAP_MAC_OVERRIDE - 32)];

export const capHas = (s: CapSet, cap: number): boolean => (cap < 32 ? (s[0] >>> cap) & 1 : (s[1] >>> (cap - 32)) & 1) === 1;
export const capAnd = (a: CapSet, b: CapSet): CapSet => [(a[0] & b[0]) >>> 0, (a[1] & b[1]) >>> 0];
export const capOr = (a: CapSet, b: CapSet): CapSet => [(a[0] | b[0]) >>> 0, (a[1] | b[1]) >>> 0];
export const capMinus = (a: CapSet, b: CapSet): CapSet => [(a[0] & ~b[0]) >>> 0, (a[1] & ~b[1]) >>> 0];
export const capSubset = (a: CapSet, b: CapSet): boolean => capMinus(a, b).every((w) => w === 0);

/**
 * The host process's supplementary groups: from the host's /proc (node's
 * getgroups adds the effective gid to the list, which the kernel does not).
 */
let hostGroupList: number[] | undefined;

function hostGroups(): number[] {
  return (hostGroupList ??= readHostGroups());
}

function readHostGroups(): number[] {
  try {
    const line = /^Groups:(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (line) return line[1].trim() === '' ? [] : line[1].trim().split(/\s+/).map(Number);
  } catch {
    // not a Linux host
  }
  return process.getgroups?.() ?? [];
}

/** The highest uid or gid; (u32)-1 means "no id" to every call. */
export const NO_ID = 0xffffffff;

export class Credentials {
  uid = 0;
  euid = 0;
  suid = 0;
  fsuid = 0;
  gid = 0;
  egid = 0;
  sgid = 0;
  fsgid = 0;
  groups: number[] = [];
  effective: CapSet = NO_CAPS;
  permitted: CapSet = NO_CAPS;
  inheritable: CapSet = NO_CAPS;
  bounding: CapSet = ALL_CAPS;
  /** Ambient capabilities: kept across the exec of an unprivileged program (always within permitted and inheritable). */
  ambient: CapSet = NO_CAPS;
  /** prctl(PR_SET_KEEPCAPS): keep permitted capabilities when every uid leaves 0. */
  keepCaps = false;
  /** The securebits other than keep-caps (SECBIT_NO_CAP_AMBIENT_RAISE and the locks). */
  securebits = 0;

  /** Every id uid and gid, the groups given, and root's capabilities when uid is 0. */
  static of(uid: number, gid: number, groups: readonly number[]): Credentials {
    const c = new Credentials();
    c.uid = c.euid = c.suid = c.fsuid = uid >>> 0;
    c.gid = c.egid = c.sgid = c.fsgid = gid >>> 0;
    c.groups = [...groups];
    if (uid === 0) c.effective = c.permitted = ALL_CAPS;
    return c;
  }

  /** The host user's ids and groups, as qemu-user's guest starts with them. */
  static ofHost(): Credentials {
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    return Credentials.of(uid, gid, hostGroups());
  }

  copy(): Credentials {
    const c = Object.assign(new Credentials(), this);
    c.groups = [...this.groups];
    return c;
  }

  capable(cap: number): boolean {
    return capHas(this.effective, cap);
  }

  /** May a process with these credentials signal one with target's (Linux's kill_ok_by_cred)? */
  maySignal(target: Credentials): boolean {
    const ids = [target.uid, target.suid];
    return ids.includes(this.euid) || ids.includes(this.uid) || this.capable(CAP_KILL);
  }

  inGroup(gid: number): boolean {
    return gid === this.fsgid || this.groups.includes(gid);
  }

  /**
   * Applies a change of uids: old is the state before it. Capabilities follow
   * root as Linux's commoncap does (unless keepCaps), and the filesystem
   * capabilities follow fsuid.
   */
  fixCapsAfterUidChange(old: Credentials): void {
    const wasRoot = old.uid === 0 || old.euid === 0 || old.suid === 0;
    const isRoot = this.uid === 0 || this.euid === 0 || this.suid === 0;
    if (wasRoot && !isRoot && !this.keepCaps) {
      this.permitted = NO_CAPS;
      this.effective = NO_CAPS;
      this.ambient = NO_CAPS;
    }
    if (old.euid === 0 && this.euid !== 0) this.effective = NO_CAPS;
    if (old.euid !== 0 && this.euid === 0) this.effective = this.permitted;
    this.fixCapsAfterFsuidChange(old.fsuid);
  }

  fixCapsAfterFsuidChange(oldFsuid: number): void {
    if (oldFsuid === 0 && this.fsuid !== 0) this.effective = capMinus(this.effective, FS_CAPS);
    if (oldFsuid !== 0 && this.fsuid === 0) this.effective = capOr(this.effective, capAnd(this.permitted, FS_CAPS));
  }

  /** execve without set-id bits: root gets its full sets back (and loses the ambient ones), anyone else keeps only the ambient set. */
  afterExec(): void {
    this.keepCaps = false;
    if (this.uid === 0 || this.euid === 0) {
      this.ambient = NO_CAPS;
      this.permitted = capOr(this.bounding, this.inheritable);
      this.effective = this.euid === 0 ? this.permitted : NO_CAPS;
    } else {
      this.permitted = this.ambient;
      this.effective = this.ambient;
    }
    this.suid = this.euid;
    this.fsuid = this.euid;
    this.sgid = this.egid;
    this.fsgid = this.egid;
  }

  /**
   * The credentials access() and faccessat() without AT_EACCESS check with:
   * the real ids as filesystem ids, and root's permitted capabilities only
   * when the real uid is 0.
   */
  forAccessCheck(): Credentials {
    const c = this.copy();
    c.fsuid = this.uid;
    c.fsgid = this.gid;
    c.effective = this.uid === 0 ? this.permitted : NO_CAPS;
    return c;
  }
}
