// Stage-1 access permissions of the EL1&0 regime (Arm ARM D5.4, Armv8.0 without PAN):
// AP[2:1], UXN, PXN and SCTLR_EL1.WXN, after the hierarchical table bits are folded in.

import { Access, Perm } from './types';

function computePerms(ap: number, uxn: number, pxn: number, wxn: number): number {
  const readOnly = (ap & 2) !== 0;
  const el0Access = (ap & 1) !== 0;
  const el0Write = el0Access && !readOnly;
  const el1Write = !readOnly;
  // EL0 may execute without read permission (AP = x0, UXN = 0: execute-only).
  const el0Exec = !uxn && !(wxn && el0Write);
  // Memory writable at EL0 is never executable at EL1.
  const el1Exec = !pxn && !el0Write && !(wxn && el1Write);
  let p = Perm.El1Read;
  if (el1Write) p |= Perm.El1Write;
  if (el1Exec) p |= Perm.El1Exec;
  if (el0Access) p |= Perm.El0Read;
  if (el0Write) p |= Perm.El0Write;
  if (el0Exec) p |= Perm.El0Exec;
  return p;
}

/** Indexed by AP[2:1] | UXN << 2 | PXN << 3 | WXN << 4. */
const PERM_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(32);
  for (let i = 0; i < 32; i++) t[i] = computePerms(i & 3, (i >> 2) & 1, (i >> 3) & 1, (i >> 4) & 1);
  return t;
})();

/** Permissions of a leaf: ap = AP[2:1] (0..3), the other arguments 0 or 1. */
export function stage1Perms(ap: number, uxn: number, pxn: number, wxn: number): number {
  return PERM_TABLE[(ap & 3) | (uxn << 2) | (pxn << 3) | (wxn << 4)];
}

/** The Perm bit an access needs: Read/Write/Fetch at EL0 or EL1. */
export function requiredPerm(access: Access, el0: boolean): number {
  return 1 << (access + (el0 ? 0 : 3));
}

export function permits(perms: number, access: Access, el0: boolean): boolean {
  return (perms & requiredPerm(access, el0)) !== 0;
}
