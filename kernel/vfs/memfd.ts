// memfd_create's files: an in-memory regular file that no directory names,
// opened read-write, with the seals F_ADD_SEALS sets kept on the inode.

import { HugetlbFile } from './hugetlb-file';
import type { MemFile } from './node';
import { OpenFile, O_RDWR, RegularFile } from './open-file';
import type { OverlayFs } from './overlay-fs';

export const F_SEAL_SEAL = 1;
export const F_SEAL_SHRINK = 2;
export const F_SEAL_GROW = 4;
export const F_SEAL_WRITE = 8;
export const F_SEAL_FUTURE_WRITE = 16;

/** A new memfd: sealing allowed or closed for good (F_SEAL_SEAL) from the start; a hugetlbfs one when hugePageSize is set. */
export function createMemfd(fs: OverlayFs, name: string, allowSealing: boolean, hugePageSize = 0): OpenFile {
  const node: MemFile = fs.newFile(new Uint8Array(0), 0o777);
  node.seals = allowSealing ? 0 : F_SEAL_SEAL;
  node.nlink = 0;
  if (hugePageSize === 0) fs.adoptFile(node, fs.anonSpace, true);
  const path = `/memfd:${name} (deleted)`;
  return hugePageSize > 0 ? new HugetlbFile(path, O_RDWR, node, fs, hugePageSize) : new RegularFile(path, O_RDWR, node, fs);
}

function sealable(f: OpenFile): MemFile | null {
  if (!(f instanceof RegularFile)) return null;
  const n = f.inode;
  return n.layer === 'mem' && n.kind === 'file' && n.seals !== undefined ? n : null;
}

/** The seals of a memfd; null for files that have none (F_GET_SEALS answers EINVAL). */
export function sealsOf(f: OpenFile): number | null {
  return sealable(f)?.seals ?? null;
}

export function setSeals(f: OpenFile, seals: number): void {
  const n = sealable(f);
  if (n) n.seals = seals;
}
