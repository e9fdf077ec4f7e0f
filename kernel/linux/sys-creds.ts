// The credential calls: the get and set calls of user and group ids (real,
// effective, saved, filesystem), supplementary groups, capget and capset,
// and the capability prctls. The rules are Linux's (kernel/sys.c and
// commoncap): who may take which id, and what happens to capabilities.

import { ALL_CAPS, CAP_SETGID, CAP_SETPCAP, CAP_SETUID, capAnd, capHas, capMinus, capOr, capSubset, NO_CAPS, NO_ID, type CapSet, type Credentials } from './credentials';
import { EINVAL, EPERM, ESRCH } from './errno';
import type { Call, Syscall } from './syscall-context';

const NGROUPS_MAX = 65536;

const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
};

const getuid: Syscall = (c) => c.p.creds.uid;
const geteuid: Syscall = (c) => c.p.creds.euid;
const getgid: Syscall = (c) => c.p.creds.gid;
const getegid: Syscall = (c) => c.p.creds.egid;

function putIds(c: Call, ids: number[]): number {
  ids.forEach((id, i) => c.user.write(c.a[i], u32(id)));
  return 0;
}

const getresuid: Syscall = (c) => putIds(c, [c.p.creds.uid, c.p.creds.euid, c.p.creds.suid]);
const getresgid: Syscall = (c) => putIds(c, [c.p.creds.gid, c.p.creds.egid, c.p.creds.sgid]);

/** Replaces the caller's credentials with a changed copy, fixing capabilities as a uid change does. */
function commitUids(c: Call, change: (n: Credentials) => void): number {
  const old = c.p.creds;
  const n = old.copy();
  change(n);
  n.fixCapsAfterUidChange(old);
  c.p.creds = n;
  return 0;
}

function commitGids(c: Call, change: (n: Credentials) => void): number {
  const n = c.p.creds.copy();
  change(n);
  c.p.creds = n;
  return 0;
}

const setuid: Syscall = (c) => {
  const uid = c.u32(0);
  const old = c.p.creds;
  if (uid === NO_ID) return -EINVAL;
  if (old.capable(CAP_SETUID)) return commitUids(c, (n) => (n.uid = n.euid = n.suid = n.fsuid = uid));
  if (uid !== old.uid && uid !== old.suid) return -EPERM;
  return commitUids(c, (n) => (n.euid = n.fsuid = uid));
};

const setgid: Syscall = (c) => {
  const gid = c.u32(0);
  const old = c.p.creds;
  if (gid === NO_ID) return -EINVAL;
  if (old.capable(CAP_SETGID)) return commitGids(c, (n) => (n.gid = n.egid = n.sgid = n.fsgid = gid));
  if (gid !== old.gid && gid !== old.sgid) return -EPERM;
  return commitGids(c, (n) => (n.egid = n.fsgid = gid));
};

/** setreuid and setregid: which real and effective ids an unprivileged caller may take, and when the saved id follows. */
function setRe(c: Call, ids: { real: number; eff: number; saved: number }, cap: number): { real: number; eff: number; saved: number } | number {
  const r = c.u32(0);
  const e = c.u32(1);
  const capable = c.p.creds.capable(cap);
  if (r !== NO_ID && r !== ids.real && r !== ids.eff && !capable) return -EPERM;
  if (e !== NO_ID && e !== ids.real && e !== ids.eff && e !== ids.saved && !capable) return -EPERM;
  const real = r === NO_ID ? ids.real : r;
  const eff = e === NO_ID ? ids.eff : e;
  const saved = r !== NO_ID || (e !== NO_ID && e !== ids.real) ? eff : ids.saved;
  return { real, eff, saved };
}

const setreuid: Syscall = (c) => {
  const o = c.p.creds;
  const v = setRe(c, { real: o.uid, eff: o.euid, saved: o.suid }, CAP_SETUID);
  if (typeof v === 'number') return v;
  return commitUids(c, (n) => ([n.uid, n.euid, n.suid, n.fsuid] = [v.real, v.eff, v.saved, v.eff]));
};

const setregid: Syscall = (c) => {
  const o = c.p.creds;
  const v = setRe(c, { real: o.gid, eff: o.egid, saved: o.sgid }, CAP_SETGID);
  if (typeof v === 'number') return v;
  return commitGids(c, (n) => ([n.gid, n.egid, n.sgid, n.fsgid] = [v.real, v.eff, v.saved, v.eff]));
};

/** setresuid and setresgid: each id given must be one of the three current ones, unless capable. */
function setRes(c: Call, current: [number, number, number], cap: number): [number, number, number] | number {
  const want = [c.u32(0), c.u32(1), c.u32(2)];
  const fresh = want.some((id) => id !== NO_ID && !current.includes(id));
  if (fresh && !c.p.creds.capable(cap)) return -EPERM;
  return [0, 1, 2].map((i) => (want[i] === NO_ID ? current[i] : want[i])) as [number, number, number];
}

const setresuid: Syscall = (c) => {
  const o = c.p.creds;
  const v = setRes(c, [o.uid, o.euid, o.suid], CAP_SETUID);
  if (typeof v === 'number') return v;
  return commitUids(c, (n) => ([n.uid, n.euid, n.suid, n.fsuid] = [v[0], v[1], v[2], v[1]]));
};

const setresgid: Syscall = (c) => {
  const o = c.p.creds;
  const v = setRes(c, [o.gid, o.egid, o.sgid], CAP_SETGID);
  if (typeof v === 'number') return v;
  return commitGids(c, (n) => ([n.gid, n.egid, n.sgid, n.fsgid] = [v[0], v[1], v[2], v[1]]));
};

/** setfsuid answers the previous fsuid whether or not it changed anything. */
const setfsuid: Syscall = (c) => {
  const uid = c.u32(0);
  const o = c.p.creds;
  const before = o.fsuid;
  if (uid === NO_ID || uid === o.fsuid) return before;
  if ([o.uid, o.euid, o.suid].includes(uid) || o.capable(CAP_SETUID)) {
    const n = o.copy();
    n.fsuid = uid;
    n.fixCapsAfterFsuidChange(before);
    c.p.creds = n;
  }
  return before;
};

const setfsgid: Syscall = (c) => {
  const gid = c.u32(0);
  const o = c.p.creds;
  const before = o.fsgid;
  if (gid === NO_ID || gid === o.fsgid) return before;
  if ([o.gid, o.egid, o.sgid].includes(gid) || o.capable(CAP_SETGID)) commitGids(c, (n) => (n.fsgid = gid));
  return before;
};

const getgroups: Syscall = (c) => {
  const size = c.int(0);
  const groups = c.p.creds.groups;
  if (size < 0) return -EINVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return -EINVAL;
  const out = new Uint8Array(4 * groups.length);
  groups.forEach((g, i) => out.set(u32(g), 4 * i));
  c.user.write(c.a[1], out);
  return groups.length;
};

const setgroups: Syscall = (c) => {
  const size = c.int(0);
  if (!c.p.creds.capable(CAP_SETGID)) return -EPERM;
  if (size >>> 0 > NGROUPS_MAX) return -EINVAL;
  const b = c.user.read(c.a[1], 4 * size);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const groups: number[] = [];
  for (let i = 0; i < size; i++) groups.push(v.getUint32(4 * i, true));
  if (groups.includes(NO_ID)) return -EINVAL;
  return commitGids(c, (n) => (n.groups = groups.sort((x, y) => x - y)));
};

const CAP_V1 = 0x19980330;
const CAP_V2 = 0x20071026;
const CAP_V3 = 0x20080522;

/** The number of data structs a capget/capset header's version carries; -EINVAL (header rewritten to V3) for an unknown one. */
function capWords(c: Call): number {
  const version = new DataView(c.user.read(c.a[0], 4).buffer).getUint32(0, true);
  if (version === CAP_V1) return 1;
  if (version === CAP_V2 || version === CAP_V3) return 2;
  c.user.write(c.a[0], u32(CAP_V3));
  return -EINVAL;
}

function headerPid(c: Call): number {
  return new DataView(c.user.read(c.a[0] + 4, 4).buffer).getInt32(0, true);
}

const capget: Syscall = (c) => {
  const words = capWords(c);
  if (c.a[1] === 0 || words < 0) return c.a[1] === 0 && words === -EINVAL ? 0 : words;
  const pid = headerPid(c);
  if (pid < 0) return -EINVAL;
  const target = pid === 0 ? c.p : c.sys.processes.get(pid);
  if (!target) return -ESRCH;
  const cr = target.creds;
  const out = new Uint8Array(12 * words);
  for (let i = 0; i < words; i++) [cr.effective, cr.permitted, cr.inheritable].forEach((s, j) => out.set(u32(s[i]), 12 * i + 4 * j));
  c.user.write(c.a[1], out);
  return 0;
};

const capset: Syscall = (c) => {
  const words = capWords(c);
  if (words < 0) return words;
  const pid = headerPid(c);
  if (pid !== 0 && pid !== c.p.pid) return -EPERM;
  const b = c.user.read(c.a[1], 12 * words);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const read = (j: number): CapSet => capAnd([v.getUint32(4 * j, true), words > 1 ? v.getUint32(12 + 4 * j, true) : 0], ALL_CAPS);
  const [effective, permitted, inheritable] = [read(0), read(1), read(2)];
  const o = c.p.creds;
  if (!o.capable(CAP_SETPCAP) && !capSubset(inheritable, capOr(o.inheritable, o.permitted))) return -EPERM;
  if (!capSubset(inheritable, capOr(o.inheritable, o.bounding))) return -EPERM;
  if (!capSubset(permitted, o.permitted) || !capSubset(effective, permitted)) return -EPERM;
  // The ambient set never holds what is no longer both permitted and inheritable.
  return commitGids(c, (n) => Object.assign(n, { effective, permitted, inheritable, ambient: capAnd(n.ambient, capAnd(permitted, inheritable)) }));
};

const PR_CAPBSET_READ = 23;
const PR_CAPBSET_DROP = 24;
const PR_GET_KEEPCAPS = 7;
const PR_SET_KEEPCAPS = 8;
const PR_GET_SECUREBITS = 27;
const PR_SET_SECUREBITS = 28;
const PR_CAP_AMBIENT = 47;
const SECBIT_KEEP_CAPS = 1 << 4;
const SECBIT_KEEP_CAPS_LOCKED = 1 << 5;
const SECBIT_NO_CAP_AMBIENT_RAISE = 1 << 6;
const SECURE_ALL_BITS = 0x55;
const SECURE_ALL_LOCKS = 0xaa;
/** The bits whose rules salty follows: keep-caps and no-ambient-raise, and their locks. */
const SECURE_IMPLEMENTED = SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE | (SECBIT_NO_CAP_AMBIENT_RAISE << 1);

const securebitsOf = (cr: Credentials): number => cr.securebits | (cr.keepCaps ? SECBIT_KEEP_CAPS : 0);

/** PR_SET_SECUREBITS: Linux's checks (no change to a locked bit, no unlocking, known bits, CAP_SETPCAP); bits salty does not implement (noroot, no-setuid-fixup) answer EINVAL. */
function setSecurebits(c: Call, bits: number): number {
  const old = securebitsOf(c.p.creds);
  const locked = ((old & SECURE_ALL_LOCKS) >>> 1) & (old ^ bits);
  if (locked || old & SECURE_ALL_LOCKS & ~bits || bits & ~(SECURE_ALL_LOCKS | SECURE_ALL_BITS) || !c.p.creds.capable(CAP_SETPCAP)) return -EPERM;
  if (bits & ~SECURE_IMPLEMENTED) return -EINVAL;
  return commitGids(c, (n) => {
    n.keepCaps = (bits & SECBIT_KEEP_CAPS) !== 0;
    n.securebits = bits & ~SECBIT_KEEP_CAPS;
  });
}

const capBit = (cap: number): CapSet => (cap < 32 ? [(1 << cap) >>> 0, 0] : [0, (1 << (cap - 32)) >>> 0]);

/** PR_CAP_AMBIENT: IS_SET 1, RAISE 2 (permitted and inheritable, not forbidden by securebits), LOWER 3, CLEAR_ALL 4. */
function capAmbient(c: Call): number {
  const [op, cap] = [c.a[1], c.a[2]];
  if (op === 4) return c.a[2] !== 0 || c.a[3] !== 0 || c.a[4] !== 0 ? -EINVAL : commitGids(c, (n) => (n.ambient = NO_CAPS));
  if (cap < 0 || cap > 40 || c.a[3] !== 0 || c.a[4] !== 0) return -EINVAL;
  const cr = c.p.creds;
  if (op === 1) return capHas(cr.ambient, cap) ? 1 : 0;
  if (op === 2) {
    if (!capHas(cr.permitted, cap) || !capHas(cr.inheritable, cap) || cr.securebits & SECBIT_NO_CAP_AMBIENT_RAISE) return -EPERM;
    return commitGids(c, (n) => (n.ambient = capOr(n.ambient, capBit(cap))));
  }
  if (op === 3) return commitGids(c, (n) => (n.ambient = capMinus(n.ambient, capBit(cap))));
  return -EINVAL;
}

/** The prctl options about capabilities; undefined for any other option. */
export function capabilityPrctl(c: Call): number | undefined {
  const cr = c.p.creds;
  const arg = c.a[1];
  switch (c.int(0)) {
    case PR_GET_KEEPCAPS:
      return cr.keepCaps ? 1 : 0;
    case PR_GET_SECUREBITS:
      return securebitsOf(cr);
    case PR_SET_SECUREBITS:
      return setSecurebits(c, arg);
    case PR_CAP_AMBIENT:
      return capAmbient(c);
    case PR_SET_KEEPCAPS:
      if (arg !== 0 && arg !== 1) return -EINVAL;
      if (cr.securebits & SECBIT_KEEP_CAPS_LOCKED) return -EPERM;
      return commitGids(c, (n) => (n.keepCaps = arg === 1));
    case PR_CAPBSET_READ:
      return arg < 0 || arg > 40 ? -EINVAL : capHas(cr.bounding, arg) ? 1 : 0;
    case PR_CAPBSET_DROP: {
      if (arg < 0 || arg > 40) return -EINVAL;
      if (!cr.capable(CAP_SETPCAP)) return -EPERM;
      const drop: CapSet = arg < 32 ? [(1 << arg) >>> 0, 0] : [0, (1 << (arg - 32)) >>> 0];
      return commitGids(c, (n) => (n.bounding = [(n.bounding[0] & ~drop[0]) >>> 0, (n.bounding[1] & ~drop[1]) >>> 0]));
    }
    default:
      return undefined;
  }
}

// Rows of syscall-table.ts name these handlers.
export { getuid, geteuid, getgid, getegid, getresuid, getresgid, setuid, setgid, setreuid, setregid, setresuid, setresgid, setfsuid, setfsgid, getgroups, setgroups, capget, capset };
