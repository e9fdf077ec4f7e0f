// Directory notification (fcntl F_NOTIFY, CONFIG_DNOTIFY): a mark on a
// directory, owned by one open file description and the descriptor number
// it was set through, signals the file's owner (the setter unless
// F_SETOWN said otherwise) with the file's F_SETSIG signal (SIGIO by
// default) when the directory's entries change. fs-events.ts reports the
// events, mapped as Linux's fsnotify does: a change to an entry (access,
// modify, attrib) reaches its directory's marks; a directory's own attribute
// change reaches its own marks; DN_RENAME is a rename within one directory
// only, a move across directories being DN_DELETE in the old one and
// DN_CREATE in the new one. Without DN_MULTISHOT a mark ends at its first
// signal. A mark ends when its descriptor is closed.

import { lastCloseHooks, type OpenFile } from '../vfs/open-file';
import type { OverlayFs } from '../vfs/overlay-fs';
import { ENOTDIR } from './errno';
import { ownLease, signalFileOwner } from './async-io';
import type { LinuxSystem } from './linux-system';
import type { Call, SyscallResult } from './syscall-context';

export const F_NOTIFY = 1026;
export const DN_ACCESS = 0x1;
export const DN_MODIFY = 0x2;
export const DN_CREATE = 0x4;
export const DN_DELETE = 0x8;
export const DN_RENAME = 0x10;
export const DN_ATTRIB = 0x20;
const DN_MULTISHOT = 0x80000000;
const DN_EVENTS = DN_ACCESS | DN_MODIFY | DN_CREATE | DN_DELETE | DN_RENAME | DN_ATTRIB;
const POLL_MSG = 3;

interface Mark {
  readonly sys: LinuxSystem;
  readonly fs: OverlayFs;
  readonly ino: number;
  readonly file: OpenFile;
  readonly fd: number;
  readonly pid: number;
  mask: number;
}

/** Marks by file system, then by directory inode number. */
const marks = new WeakMap<OverlayFs, Map<number, Mark[]>>();
/** The marks set through each open file description (its last close ends them). */
const byFile = new Map<OpenFile, Mark[]>();
let count = 0;

/** Is any mark set (fs-events skips its work otherwise)? */
export function dnotifyActive(): boolean {
  return count > 0;
}

/** fcntl(fd, F_NOTIFY, arg) (null: not this command). */
export function dnotifyCommand(c: Call, f: OpenFile, cmd: number): SyscallResult | null {
  if (cmd !== F_NOTIFY) return null;
  const a = f.attrs();
  if (a.kind !== 'dir') return -ENOTDIR;
  const arg = c.u32(2);
  const fd = c.int(0);
  const byIno = marksOf(c.sys.fs);
  const list = byIno.get(a.ino) ?? [];
  const mine = list.find((m) => m.file === f && m.pid === c.p.pid);
  if ((arg & DN_EVENTS) === 0) {
    if (mine) drop(byIno, a.ino, mine);
    return 0;
  }
  ownLease(f, c.p.pid);
  if (mine) {
    mine.mask |= arg;
    return 0;
  }
  const mark: Mark = { sys: c.sys, fs: c.sys.fs, ino: a.ino, file: f, fd, pid: c.p.pid, mask: arg };
  list.push(mark);
  byIno.set(a.ino, list);
  byFile.set(f, [...(byFile.get(f) ?? []), mark]);
  count++;
  return 0;
}

function marksOf(fs: OverlayFs): Map<number, Mark[]> {
  let m = marks.get(fs);
  if (!m) marks.set(fs, (m = new Map()));
  return m;
}

function drop(byIno: Map<number, Mark[]>, ino: number, mark: Mark): void {
  const list = byIno.get(ino);
  const i = list ? list.indexOf(mark) : -1;
  if (!list || i < 0) return;
  list.splice(i, 1);
  count--;
  if (list.length === 0) byIno.delete(ino);
  const ofFile = byFile.get(mark.file)?.filter((m) => m !== mark) ?? [];
  if (ofFile.length) byFile.set(mark.file, ofFile);
  else byFile.delete(mark.file);
}

lastCloseHooks.push((file) => {
  for (const m of byFile.get(file) ?? []) {
    const byIno = marks.get(m.fs);
    if (byIno) drop(byIno, m.ino, m);
  }
});

/** The directory with inode ino saw events (DN_* bits): signal the marks that asked for them. */
export function dnotifyEvent(fs: OverlayFs, ino: number, events: number): void {
  const byIno = marks.get(fs);
  const list = byIno?.get(ino);
  if (!byIno || !list) return;
  for (const m of [...list]) {
    const p = m.sys.processes.get(m.pid);
    // Closing the descriptor ended the mark (Linux's dnotify_flush at filp_close).
    if (!p || p.exit !== undefined || p.fds.get(m.fd) !== m.file) {
      drop(byIno, ino, m);
      continue;
    }
    if ((m.mask & events) === 0) continue;
    if ((m.mask & DN_MULTISHOT) === 0) drop(byIno, ino, m);
    signalFileOwner(m.sys, m.file, m.fd, POLL_MSG);
  }
}
