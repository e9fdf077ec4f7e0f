// FS_IOC_GETFLAGS and FS_IOC_SETFLAGS: the inode flags chattr sets
// (immutable, append-only, nodump, noatime) on files of the in-memory layer.
// The immutable and append-only flags make the attribute calls and opens for
// writing answer EPERM (sys-xattr.ts, path-permission.ts).

import type { Node } from '../vfs/node';
import { RegularFile, DirectoryFile, type OpenFile } from '../vfs/open-file';
import { CAP_FOWNER, CAP_LINUX_IMMUTABLE } from './credentials';
import { EPERM, ENOTTY } from './errno';
import type { Call } from './syscall-context';

const FS_IOC_GETFLAGS = 0x80086601;
const FS_IOC_SETFLAGS = 0x40086602;
export const FS_IMMUTABLE_FL = 0x10;
export const FS_APPEND_FL = 0x20;
const FS_NODUMP_FL = 0x40;
const FS_NOATIME_FL = 0x80;
const SETTABLE = FS_IMMUTABLE_FL | FS_APPEND_FL | FS_NODUMP_FL | FS_NOATIME_FL;
const EOPNOTSUPP = 95;

/** The inode flags of a node (0 for the host layer's files). */
export function inodeFlags(node: Node): number {
  return node.layer === 'mem' ? (node.fsflags ?? 0) : 0;
}

/** The inode an open regular file or directory names (null: no flags here). */
function inodeOf(c: Call, f: OpenFile): Node | null {
  if (f instanceof RegularFile) return c.sys.fs.lstat(f.path) ?? f.inode;
  if (f instanceof DirectoryFile) return c.sys.fs.lstat(f.path);
  return null;
}

/** The answer to an inode-flag ioctl, or null when req is not one. */
export function fileFlagsIoctl(c: Call, f: OpenFile, req: number, arg: number): number | null {
  if (req !== FS_IOC_GETFLAGS && req !== FS_IOC_SETFLAGS) return null;
  const node = inodeOf(c, f);
  if (!node) return -ENOTTY;
  if (req === FS_IOC_GETFLAGS) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, inodeFlags(node), true);
    c.user.write(arg, b);
    return 0;
  }
  const want = new DataView(c.user.read(arg, 4).buffer).getInt32(0, true);
  const a = c.sys.fs.attrs(node);
  if (c.p.creds.fsuid !== (a.uid ?? 0) && !c.p.creds.capable(CAP_FOWNER)) return -EPERM;
  if ((want & ~SETTABLE) !== 0) return -EOPNOTSUPP;
  const changed = want ^ inodeFlags(node);
  if ((changed & (FS_IMMUTABLE_FL | FS_APPEND_FL)) !== 0 && !c.p.creds.capable(CAP_LINUX_IMMUTABLE)) return -EPERM;
  const holder = node.layer === 'mem' ? node : c.sys.fs.attrHolder(f.path, node);
  if (!holder) return -EOPNOTSUPP;
  holder.fsflags = want;
  return 0;
}
