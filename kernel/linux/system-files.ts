// The files the kernel itself provides: /dev (null, zero, urandom, tty, the
// console) and /proc (self, <pid>/exe as a magic link to the executable,
// <pid>/maps),
// plus opening a resolved path as an open file description.

import { consoleDevice, nullDevice, ttyDevice, urandomDevice, zeroDevice, type Device } from '../vfs/device';
import type { MemDir, MemFile, Node } from '../vfs/node';
import { DeviceFile, DirectoryFile, OpenFile, RegularFile } from '../vfs/open-file';
import { newIno } from '../vfs/overlay-fs';
import type { LinuxSystem } from './linux-system';
import type { LinuxProcess } from './linux-process';
import { formatMaps } from './proc-maps';
import { SYSVIPC_PROC_DIRS, sysvipcProcFile } from './proc-sysvipc';

export function mountSystemFiles(sys: LinuxSystem): void {
  sys.fs.now = () => sys.wallNow();
  const devices: [string, Device][] = [
    ['null', nullDevice],
    ['zero', zeroDevice],
    ['urandom', urandomDevice],
    ['random', urandomDevice],
    ['tty', ttyDevice(sys.io)],
    ['console', ttyDevice(sys.io)],
  ];
  for (const [name, device] of devices) sys.fs.addDevice(`/dev/${name}`, { layer: 'mem', kind: 'chr', device, ino: newIno(), perm: 0o666 });
  sys.fs.addSymlink('/dev/fd', '/proc/self/fd');
  (['stdin', 'stdout', 'stderr'] as const).forEach((name, fd) => {
    sys.fs.addDevice(`/dev/${name}`, { layer: 'mem', kind: 'chr', device: consoleDevice(sys.io, fd as 0 | 1 | 2), ino: 0x8800 + fd, perm: 0o620 });
  });
  const procDir: MemDir = { layer: 'mem', kind: 'dir', perm: 0o555, ino: newIno(), mtimeMs: Date.now() };
  const exeFiles = new WeakMap<LinuxProcess, MemFile>();
  sys.fs.synthetic = (path) => {
    if (path === '/proc') return procDir;
    if (!path.startsWith('/proc/')) return undefined;
    if (SYSVIPC_PROC_DIRS.has(path)) return { layer: 'mem', kind: 'dir', perm: 0o555, ino: 0x5000 + path.length, mtimeMs: sys.wallNow() };
    const ipc = sysvipcProcFile(sys, path);
    if (ipc !== undefined) return sys.fs.newFile(Buffer.from(ipc), 0o444);
    const parts = path.split('/').slice(2);
    const self = sys.currentProcess;
    if (parts[0] === 'self') {
      if (parts.length === 1) return self ? { layer: 'mem', kind: 'symlink', target: `/proc/${self.pid}`, ino: 1 } : null;
      parts[0] = String(self?.pid ?? -1);
    }
    const p = sys.processes.get(Number(parts[0]));
    if (!p) return null;
    if (parts.length === 1) return { layer: 'mem', kind: 'dir', perm: 0o555, ino: 0x1000 + p.pid, mtimeMs: Date.now() };
    if (parts.length === 2 && parts[1] === 'exe') {
      let f = exeFiles.get(p);
      if (!f || f.data !== p.exe.bytes) {
        f = sys.fs.newFile(p.exe.bytes, 0o755);
        exeFiles.set(p, f);
      }
      return { layer: 'mem', kind: 'symlink', target: p.exe.path, ino: 0x2000 + p.pid, magic: f };
    }
    if (parts.length === 2 && parts[1] === 'maps') return sys.fs.newFile(Buffer.from(formatMaps(p.mem, sys.kernel.machine.signals.trampoline?.address)), 0o444);
    if (parts.length === 2 && parts[1] === 'fd') return { layer: 'mem', kind: 'dir', perm: 0o500, ino: 0x3000 + p.pid, mtimeMs: Date.now() };
    if (parts.length === 3 && parts[1] === 'fd') {
      const f = p.fds.get(Number(parts[2]));
      const inode = f instanceof RegularFile ? f.inode : undefined;
      const magic = inode?.layer === 'mem' && inode.kind === 'file' ? inode : undefined;
      return f ? { layer: 'mem', kind: 'symlink', target: f.path, ino: 0x4000 + Number(parts[2]), magic } : null;
    }
    return null;
  };
}

export function openConsole(sys: LinuxSystem, fd: 0 | 1 | 2): OpenFile {
  const names = ['/dev/stdin', '/dev/stdout', '/dev/stderr'];
  return new DeviceFile(names[fd], fd === 0 ? 0 : 1, consoleDevice(sys.io, fd), 0x8800 + fd);
}

/** An open file description for a resolved node. */
export function openNode(sys: LinuxSystem, path: string, node: Node, flags: number): OpenFile {
  if (node.kind === 'dir') return new DirectoryFile(path, flags, node, sys.fs);
  if (node.layer === 'mem' && node.kind === 'chr') return new DeviceFile(path, flags, node.device, node.ino);
  return new RegularFile(path, flags, node, sys.fs);
}
