// The files the kernel itself provides: /dev (null, zero, urandom, tty, the
// console), /proc (proc-root.ts) and the kernel configuration file, plus
// opening a resolved path as an open file description.

import { consoleDevice, fullDevice, nullDevice, ttyDevice, urandomDevice, zeroDevice, type Device } from '../vfs/device';
import type { MemFile, Node } from '../vfs/node';
import { DeviceFile, DirectoryFile, OpenFile, RegularFile } from '../vfs/open-file';
import { newIno } from '../vfs/overlay-fs';
import type { LinuxSystem } from './linux-system';
import { KERNEL_CONFIG_PATH, kernelConfigText } from './kernel-config';
import { tunDevice } from './tun-device';
import { ProcOpenFile, procSourceOf, ProcTree } from './proc-fs';
import { ProcRoot } from './proc-root';

export function mountSystemFiles(sys: LinuxSystem): void {
  sys.fs.now = () => sys.wallNow();
  const devices: [string, Device][] = [
    ['null', nullDevice],
    ['zero', zeroDevice],
    ['full', fullDevice],
    ['urandom', urandomDevice],
    ['random', urandomDevice],
    ['tty', ttyDevice(sys.io)],
    ['console', ttyDevice(sys.io)],
  ];
  devices.push(['net/tun', tunDevice]);
  for (const [name, device] of devices) sys.fs.addDevice(`/dev/${name}`, { layer: 'mem', kind: 'chr', device, ino: newIno(), perm: 0o666 });
  sys.fs.addSymlink('/dev/fd', '/proc/self/fd');
  (['stdin', 'stdout', 'stderr'] as const).forEach((name, fd) => {
    sys.fs.addDevice(`/dev/${name}`, { layer: 'mem', kind: 'chr', device: consoleDevice(sys.io, fd as 0 | 1 | 2), ino: 0x8800 + fd, perm: 0o620 });
  });
  const tree = new ProcTree(sys, new ProcRoot(sys).root());
  const config = (): MemFile => sys.fs.newFile(Buffer.from(kernelConfigText(sys.kernel.arch)), 0o644);
  sys.fs.synthetic = (path) => (path === KERNEL_CONFIG_PATH ? config() : tree.lookup(path));
  sys.fs.syntheticDir = (path) => tree.list(path);
}

export function openConsole(sys: LinuxSystem, fd: 0 | 1 | 2): OpenFile {
  const names = ['/dev/stdin', '/dev/stdout', '/dev/stderr'];
  const device = consoleDevice(sys.io, fd);
  // Not a terminal: a pipe's name, so /proc/PID/fd and fstatat(fd, "", AT_EMPTY_PATH) see the pipe too.
  const path = device.pipeToHost ? `pipe:[${0x8800 + fd}]` : names[fd];
  return new DeviceFile(path, fd === 0 ? 0 : 1, device, 0x8800 + fd);
}

/** An open file description for a resolved node. */
export function openNode(sys: LinuxSystem, path: string, node: Node, flags: number): OpenFile {
  if (node.kind === 'dir') return new DirectoryFile(path, flags, node, sys.fs);
  const proc = procSourceOf(node);
  if (proc && node.layer === 'mem' && node.kind === 'file') return new ProcOpenFile(path, flags, node, proc, (n) => sys.fs.attrs(n));
  if (node.layer === 'mem' && node.kind === 'chr') return new DeviceFile(path, flags, node.device, node.ino);
  return new RegularFile(path, flags, node, sys.fs);
}
