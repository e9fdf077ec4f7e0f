// Which VFS call reports which inotify event, in Linux's order: an event on
// a file goes to a watch on its directory (with the file's name) and then to
// a watch on the file itself; namespace events (create, delete, moves) go to
// the directory; IN_DELETE_SELF and IN_IGNORED end a watch when the inode's
// last name and last open description are gone.

import type { Node } from '../vfs/node';
import { DirectoryFile, lastCloseHooks, RegularFile, type OpenFile } from '../vfs/open-file';
import { baseName, parentOf, type OverlayFs } from '../vfs/overlay-fs';
import {
  CHILD_EVENTS,
  IN_ACCESS,
  IN_ATTRIB,
  IN_CLOSE_NOWRITE,
  IN_CLOSE_WRITE,
  IN_CREATE,
  IN_DELETE,
  IN_DELETE_SELF,
  IN_EXCL_UNLINK,
  IN_ISDIR,
  IN_MODIFY,
  IN_MOVE_SELF,
  IN_MOVED_FROM,
  IN_MOVED_TO,
  IN_OPEN,
  inotifyInstances,
} from '../vfs/inotify';
import type { LinuxSystem } from './linux-system';
import { dnotifyActive, dnotifyEvent, DN_ACCESS, DN_ATTRIB, DN_CREATE, DN_DELETE, DN_MODIFY, DN_RENAME } from './dnotify';

export { IN_ACCESS, IN_ATTRIB, IN_MODIFY, IN_OPEN };

/** The file system each open regular file or directory was opened on (its close event needs it). */
const openedOn = new WeakMap<OpenFile, LinuxSystem>();
let nextCookie = 1;

const watching = (): boolean => inotifyInstances().size > 0 || dnotifyActive();

/** The dnotify events (DN_*) of an inotify event mask on an entry or a directory. */
function dnotifyBits(mask: number): number {
  return (mask & IN_ACCESS ? DN_ACCESS : 0) | (mask & IN_MODIFY ? DN_MODIFY : 0) | (mask & IN_ATTRIB ? DN_ATTRIB : 0) |
    (mask & (IN_CREATE | IN_MOVED_TO) ? DN_CREATE : 0) | (mask & (IN_DELETE | IN_MOVED_FROM) ? DN_DELETE : 0);
}

function linksOf(fs: OverlayFs, node: Node): number {
  return fs.attrs(node).nlink;
}

/** An event on the file node at path: its directory's watch (with the name), then its own. */
export function fileEvent(fs: OverlayFs, path: string, node: Node, mask: number): void {
  if (!watching()) return;
  const a = fs.attrs(node);
  const isDir = node.kind === 'dir' ? IN_ISDIR : 0;
  const unlinked = node.kind !== 'dir' && a.nlink === 0;
  const parent = path === '/' ? null : fs.lstat(parentOf(path));
  const parentIno = parent && (mask & CHILD_EVENTS) !== 0 ? fs.attrs(parent).ino : -1;
  const dn = dnotifyActive() ? dnotifyBits(mask) : 0;
  if (dn && parentIno >= 0) dnotifyEvent(fs, parentIno, dn);
  if (dn && isDir) dnotifyEvent(fs, a.ino, dn);
  for (const inst of inotifyInstances()) {
    const pw = parentIno >= 0 ? inst.watchOn(parentIno) : undefined;
    if (pw && !(unlinked && (pw.mask & IN_EXCL_UNLINK) !== 0)) inst.report(pw, mask | isDir, 0, baseName(path));
    const w = inst.watchOn(a.ino);
    if (w && !(unlinked && (w.mask & IN_EXCL_UNLINK) !== 0)) inst.report(w, mask | isDir, 0, '');
  }
}

/** A namespace event in the directory at dirPath about its entry name. */
function dirEvent(fs: OverlayFs, dirPath: string, name: string, mask: number, cookie = 0, dnExtra = 0): void {
  const dir = fs.lstat(dirPath);
  if (!dir) return;
  const ino = fs.attrs(dir).ino;
  if (dnotifyActive()) dnotifyEvent(fs, ino, dnotifyBits(mask) | dnExtra);
  for (const inst of inotifyInstances()) {
    const w = inst.watchOn(ino);
    if (w) inst.report(w, mask, cookie, name);
  }
}

/** An event on the inode itself only (IN_MOVE_SELF, IN_DELETE_SELF). */
function selfEvent(ino: number, mask: number): void {
  for (const inst of inotifyInstances()) {
    const w = inst.watchOn(ino);
    if (w) inst.report(w, mask, 0, '');
  }
}

/** The inode ino is gone: IN_DELETE_SELF, then its watches end. */
function inodeGone(ino: number): void {
  selfEvent(ino, IN_DELETE_SELF);
  for (const inst of inotifyInstances()) inst.inodeGone(ino);
}

/** A name was added: path now names node. */
export function created(fs: OverlayFs, path: string, node: Node): void {
  if (!watching()) return;
  dirEvent(fs, parentOf(path), baseName(path), IN_CREATE | (node.kind === 'dir' ? IN_ISDIR : 0));
}

/** An open of node at path (after any creation). */
export function opened(sys: LinuxSystem, file: OpenFile, path: string, node: Node): void {
  if (file instanceof RegularFile || file instanceof DirectoryFile) openedOn.set(file, sys);
  fileEvent(sys.fs, path, node, IN_OPEN);
}

/** Is some open description still on the inode ino? */
function stillOpen(sys: LinuxSystem, ino: number): boolean {
  for (const p of sys.processes.values()) for (const f of p.fds.files()) if (f instanceof RegularFile && f.inode.layer === 'mem' && f.attrs().ino === ino) return true;
  return false;
}

/** The name path (which named node) was removed. */
export function removed(sys: LinuxSystem, path: string, node: Node): void {
  if (!watching()) return;
  const fs = sys.fs;
  const isDir = node.kind === 'dir';
  const ino = fs.attrs(node).ino;
  if (!isDir) selfEvent(ino, IN_ATTRIB);
  // The inode goes (when nothing holds it) before the directory hears of the name's removal, as d_delete_notify does.
  if (isDir || (linksOf(fs, node) === 0 && !stillOpen(sys, ino))) inodeGone(ino);
  dirEvent(fs, parentOf(path), baseName(path), IN_DELETE | (isDir ? IN_ISDIR : 0));
}

/** rename(from, to) moved node; replaced is what to named before, if anything. */
export function moved(sys: LinuxSystem, from: string, to: string, node: Node, replaced: Node | null): void {
  if (!watching()) return;
  const fs = sys.fs;
  const cookie = nextCookie++;
  const isDir = node.kind === 'dir' ? IN_ISDIR : 0;
  // dnotify's DN_RENAME is a rename within one directory (Linux's FS_DN_RENAME, sent to the old directory).
  dirEvent(fs, parentOf(from), baseName(from), IN_MOVED_FROM | isDir, cookie, parentOf(from) === parentOf(to) ? DN_RENAME : 0);
  dirEvent(fs, parentOf(to), baseName(to), IN_MOVED_TO | isDir, cookie);
  selfEvent(fs.attrs(node).ino, IN_MOVE_SELF);
  if (replaced && replaced !== node) {
    const ino = fs.attrs(replaced).ino;
    if (replaced.kind === 'dir' || (linksOf(fs, replaced) === 0 && !stillOpen(sys, ino))) inodeGone(ino);
  }
}

/** The last close of an open regular file or directory: IN_CLOSE_WRITE or _NOWRITE, and the end of an unlinked inode. */
lastCloseHooks.push((file) => {
  const sys = openedOn.get(file);
  if (!sys || !watching() || !(file instanceof RegularFile || file instanceof DirectoryFile)) return;
  const fs = sys.fs;
  const node = file instanceof RegularFile ? file.inode : fs.lstat(file.path);
  if (!node) return;
  fileEvent(fs, file.path, node, file.writable ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
  if (node.kind === 'file' && linksOf(fs, node) === 0 && !stillOpen(sys, fs.attrs(node).ino)) inodeGone(fs.attrs(node).ino);
});

/** A directory moved: cwds, roots and open files below it follow it (they name paths). */
export function followMove(sys: LinuxSystem, from: string, to: string): void {
  const rebase = (p: string): string => (p === from ? to : p.startsWith(from + '/') ? to + p.slice(from.length) : p);
  for (const p of sys.processes.values()) {
    p.cwd = rebase(p.cwd);
    p.root = rebase(p.root);
    for (const f of p.fds.files()) f.path = rebase(f.path);
  }
}
