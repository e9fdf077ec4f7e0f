// Process descriptors: pidfd_open's file, bound to one process (not to its
// number, which may be reused), readable (POLLIN) once the process has
// exited; and the /proc/PID directories, which pidfd_send_signal also
// takes as naming their process.

import type { Attributes, Node } from '../vfs/node';
import { DirectoryFile, OpenFile, O_RDWR } from '../vfs/open-file';
import { newIno } from '../vfs/overlay-fs';
import { POLLIN, POLLRDNORM } from '../vfs/readiness';
import { EINVAL } from './errno';
import type { LinuxProcess } from './linux-process';

/** A process a descriptor names: a guest process, or the stand-in init (init-process.ts). */
export type PidTarget = LinuxProcess | 'init';

export class PidFd extends OpenFile {
  private readonly ino = newIno();

  constructor(
    readonly target: PidTarget,
    flags: number,
  ) {
    super('anon_inode:[pidfd]', flags | O_RDWR);
  }

  read(): number {
    return -EINVAL;
  }
  write(): number {
    return -EINVAL;
  }
  /** The whole thread group has exited (a zombie, or reaped). */
  get exited(): boolean {
    return this.target !== 'init' && this.target.exit !== undefined;
  }
  override pollIn(): boolean {
    return this.exited;
  }
  override pollOut(): boolean {
    return false;
  }
  override pollEvents(): number {
    return this.exited ? POLLIN | POLLRDNORM : 0;
  }
  override seekable(): boolean {
    return false;
  }
  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'file', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }
}

/** /proc/PID directory nodes and the process each was made for. */
const procDirs = new WeakMap<Node, PidTarget>();

export function markProcDir(node: Node, target: PidTarget): void {
  procDirs.set(node, target);
}

/** The process a pidfd or an open /proc/PID directory names (undefined for any other file). */
export function pidTargetOf(f: OpenFile): PidTarget | undefined {
  if (f instanceof PidFd) return f.target;
  return f instanceof DirectoryFile ? procDirs.get(f.inode) : undefined;
}
