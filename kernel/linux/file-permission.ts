// Who may do what to a file: the owner, group and other permission bits
// against a process's filesystem ids, the capabilities that override them
// (as Linux's generic_permission), the owner checks of chmod and chown, and
// the sticky directory rule for removing and renaming names.

import type { Attributes } from '../vfs/node';
import { EACCES, EPERM } from './errno';
import { CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, NO_ID, type Credentials } from './credentials';

export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;

export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

const ownerOf = (a: Attributes): number => a.uid ?? 0;
const groupOf = (a: Attributes): number => a.gid ?? 0;

/** The rwx bits that apply to cred: the owner's, the group's or the others'. */
function classBits(cred: Credentials, a: Attributes): number {
  if (cred.fsuid === ownerOf(a)) return (a.perm >> 6) & 7;
  if (cred.inGroup(groupOf(a))) return (a.perm >> 3) & 7;
  return a.perm & 7;
}

/** Whether cred may access a file with mask (MAY_READ | MAY_WRITE | MAY_EXEC bits). */
export function mayAccess(cred: Credentials, a: Attributes, mask: number): boolean {
  mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
  if ((classBits(cred, a) & mask) === mask) return true;
  if (a.kind === 'dir') {
    if ((mask & MAY_WRITE) === 0 && cred.capable(CAP_DAC_READ_SEARCH)) return true;
    return cred.capable(CAP_DAC_OVERRIDE);
  }
  if (mask === MAY_READ && cred.capable(CAP_DAC_READ_SEARCH)) return true;
  // Reading and writing are always overridable; executing only when some x bit is set.
  if ((mask & MAY_EXEC) === 0 || (a.perm & 0o111) !== 0) return cred.capable(CAP_DAC_OVERRIDE);
  return false;
}

/** The owner, or CAP_FOWNER: who may chmod, set times freely, or remove from a sticky directory. */
export function isOwnerOrCapable(cred: Credentials, a: Attributes): boolean {
  return cred.fsuid === ownerOf(a) || cred.capable(CAP_FOWNER);
}

/** Whether cred may remove or replace the entry `victim` in directory `dir`: 0, EACCES without write and search on dir, EPERM by the sticky rule. */
export function mayDeleteFrom(cred: Credentials, dir: Attributes, victim: Attributes): number {
  if (!mayAccess(cred, dir, MAY_WRITE | MAY_EXEC)) return -EACCES;
  if ((dir.perm & S_ISVTX) === 0) return 0;
  return cred.fsuid === ownerOf(victim) || cred.fsuid === ownerOf(dir) || cred.capable(CAP_FOWNER) ? 0 : -EPERM;
}

/** Whether cred may add a name to directory dir: 0 or EACCES. */
export function mayCreateIn(cred: Credentials, dir: Attributes): number {
  return mayAccess(cred, dir, MAY_WRITE | MAY_EXEC) ? 0 : -EACCES;
}

/** The mode a new non-directory gets in dir: set-group-ID dropped in a set-group-ID directory whose group the caller is outside of, without CAP_FSETID. */
export function createMode(cred: Credentials, dir: Attributes, mode: number): number {
  if ((mode & (S_ISGID | 0o010)) !== (S_ISGID | 0o010) || (dir.perm & S_ISGID) === 0) return mode;
  return cred.inGroup(groupOf(dir)) || cred.capable(CAP_FSETID) ? mode : mode & ~S_ISGID;
}

/**
 * The mode chmod stores: only the owner (or CAP_FOWNER) may change it
 * (null: EPERM), and set-group-ID is dropped when the caller is outside the
 * file's group and lacks CAP_FSETID.
 */
export function chmodResult(cred: Credentials, a: Attributes, mode: number): number | null {
  if (!isOwnerOrCapable(cred, a)) return null;
  mode &= 0o7777;
  if ((mode & S_ISGID) !== 0 && !cred.inGroup(groupOf(a)) && !cred.capable(CAP_FSETID)) mode &= ~S_ISGID;
  return mode;
}

/**
 * chown's rules: a new owner needs CAP_CHOWN (unless it is the owner already
 * and the caller owns the file); a new group needs CAP_CHOWN or the owner
 * naming one of its own groups. NO_ID leaves that id as it is. Answers the
 * ids and mode to store, or null for EPERM. A non-directory loses set-user-ID,
 * and set-group-ID when group-executable, as on Linux.
 */
export function chownResult(cred: Credentials, a: Attributes, uid: number, gid: number): { uid: number; gid: number; perm: number } | null {
  const owner = ownerOf(a);
  const group = groupOf(a);
  if (uid !== NO_ID && !((cred.fsuid === owner && uid === owner) || cred.capable(CAP_CHOWN))) return null;
  if (gid !== NO_ID && !((cred.fsuid === owner && (cred.inGroup(gid) || gid === group)) || cred.capable(CAP_CHOWN))) return null;
  let perm = a.perm;
  if (a.kind !== 'dir') {
    perm &= ~S_ISUID;
    if ((perm & (S_ISGID | 0o010)) === (S_ISGID | 0o010)) perm &= ~S_ISGID;
  }
  return { uid: uid === NO_ID ? owner : uid, gid: gid === NO_ID ? group : gid, perm };
}
