// mknodat and x86_64's mknod: regular files, FIFOs, socket nodes and device
// nodes (the guest is root, so CAP_MKNOD holds). A character device node for a
// device the kernel has (null, zero, random, urandom, tty) opens that device;
// any other device number opens with ENXIO, as a driver-less one does on Linux.
// Opening a FIFO waits for its partner (kernel/vfs/fifo.ts).

import { BLOCKED } from '../sched/thread';
import { fullDevice, nullDevice, urandomDevice, zeroDevice, type Device } from '../vfs/device';
import { openFifo } from '../vfs/fifo';
import { tunDevice } from './tun-device';
import type { Node } from '../vfs/node';
import { O_CLOEXEC } from '../vfs/open-file';
import { newIno } from '../vfs/overlay-fs';
import { EEXIST, EINVAL, ENXIO, EPERM } from './errno';
import { Call, type Syscall, type SyscallResult } from './syscall-context';
import { entryAt } from './sys-path';
import { checkCreate, newFileMode } from './path-permission';
import { CAP_MKNOD } from './credentials';
import { created } from './fs-events';

const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;
const S_IFREG = 0o100000;
const S_IFBLK = 0o060000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;
const AT_FDCWD = -100;

/** The character devices a node can name, by their (Linux-encoded) device number. */
const KNOWN_DEVICES: readonly Device[] = [nullDevice, zeroDevice, fullDevice, urandomDevice, { ...urandomDevice, name: 'random', rdev: 0x108 }, tunDevice];

function noDriver(rdev: number): Device {
  return { name: 'nodev', rdev, isTty: false, noDriver: true, read: () => null, write: () => -ENXIO };
}

const mknodat: Syscall = (c) => {
  const mode = c.u32(2);
  const type = mode & S_IFMT;
  if (type === S_IFDIR) return -EPERM;
  if (![0, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].includes(type)) return -EINVAL;
  const r = entryAt(c, c.int(0), c.a[1]);
  if (typeof r === 'number') return r;
  if (r.node) return -EEXIST;
  // Device nodes need CAP_MKNOD; every node needs write and search on its directory.
  if ((type === S_IFCHR || type === S_IFBLK) && !c.p.creds.capable(CAP_MKNOD)) return -EPERM;
  const denied = checkCreate(c, r.path) || c.sys.fs.inodeRoom(r.path);
  if (denied < 0) return denied;
  const perm = newFileMode(c, r.path, mode & 0o7777 & ~c.p.umask);
  const dev = c.u32(3);
  const fs = c.sys.fs;
  const now = fs.now();
  const made = (): number => {
    const node = fs.lstat(r.path);
    if (node) created(fs, r.path, node);
    return 0;
  };
  switch (type) {
    case 0:
    case S_IFREG:
      fs.createFile(r.path, perm);
      return made();
    case S_IFCHR: {
      const device = KNOWN_DEVICES.find((d) => d.rdev === dev) ?? noDriver(dev);
      fs.addNode(r.path, fs.owned({ layer: 'mem', kind: 'chr', device, ino: newIno(), perm }, r.path));
      return made();
    }
    case S_IFSOCK:
      fs.addNode(r.path, fs.owned({ layer: 'mem', kind: 'sock', ino: newIno(), perm, nlink: 1, bound: null }, r.path));
      return made();
    default:
      fs.addNode(r.path, fs.owned({ layer: 'mem', kind: type === S_IFIFO ? 'fifo' : 'blk', ino: newIno(), perm, nlink: 1, rdev: type === S_IFBLK ? dev : 0, mtimeMs: now }, r.path));
      return made();
  }
};

const mknod: Syscall = (c) => mknodat(new Call(c.sys, c.t, [AT_FDCWD, c.a[0], c.a[1], c.a[2]]));

/**
 * Opening a node that is not a file or directory, where that differs from a
 * plain open: FIFOs (which may wait) and device numbers with no driver.
 * null: open it the ordinary way.
 */
export function openSpecial(c: Call, path: string, node: Node, flags: number): SyscallResult | null {
  // Sockets never open; a host FIFO or device is not ours to drive (reading it would block or never end).
  if (node.kind === 'sock') return -ENXIO;
  if (node.layer !== 'mem') return node.kind === 'fifo' || node.kind === 'chr' || node.kind === 'blk' ? -ENXIO : null;
  if (node.kind === 'blk' || (node.kind === 'chr' && node.device.noDriver === true)) return -ENXIO;
  if (node.kind !== 'fifo') return null;
  const opening = openFifo(node, path, flags & ~O_CLOEXEC);
  if (typeof opening === 'number') return opening;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const finish = (): number | typeof BLOCKED => (opening.partnerCame() ? c.p.fds.add(opening.end, cloexec) : BLOCKED);
  return c.block(finish, { cancel: () => opening.end.detach() });
}

// Rows of syscall-table.ts name these handlers.
export { mknodat, mknod };
