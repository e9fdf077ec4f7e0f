// The guest's filesystem: a host directory seen read-only under a writable
// in-memory layer (files created, changed, renamed or deleted by the guest
// live only in memory; a host file written to is copied up first).

import { lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { UpperLayer } from './upper-layer';
import { join } from 'node:path';
import { DT, type Attributes, type DevNode, type HostNode, type MemDir, type MemFile, type MemLink, type MemNode, type Node, type NodeKind, type Owned, type SockNode, type SpecialNode } from './node';
import { EACCES, EEXIST, EINVAL, EISDIR, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM } from './vfs-errno';
import { FileSpace, nameDropped } from './file-space';
import { wholeFile, writePaged } from './file-pages';
import { HostFileCache } from './host-file-cache';

/** The longest name of one path component (Linux's NAME_MAX). */
const NAME_MAX = 255;

export interface DirEntry {
  readonly name: string;
  readonly type: number;
  readonly ino: number;
}

/** Synthetic nodes (/proc) by path; undefined when the path is not theirs. */
export type SyntheticLookup = (path: string) => Node | null | undefined;

export interface Resolved {
  /** The absolute path reached, symlinks followed. */
  readonly path: string;
  readonly node: Node | null;
}

let nextIno = 0x10_0000;
export const newIno = (): number => nextIno++;

export function splitPath(p: string): string[] {
  return p.split('/').filter((c) => c.length > 0);
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function hostKind(s: Stats): NodeKind {
  return s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : s.isCharacterDevice() ? 'chr' : s.isBlockDevice() ? 'blk' : s.isFIFO() ? 'fifo' : s.isSocket() ? 'sock' : 'file';
}

export class OverlayFs {
  private readonly upper = new UpperLayer<MemNode>();
  synthetic: SyntheticLookup = () => undefined;
  /** The names of a synthetic directory (/proc); undefined when the path is not one. */
  syntheticDir: (path: string) => DirEntry[] | undefined = () => undefined;
  /** Whether the caller may pass through a directory on a walk (search permission); the kernel sets it. */
  canSearch: (dir: Node) => boolean = () => true;
  /** The owner of the files the caller creates (its fsuid and fsgid); the kernel sets it. */
  creator: () => { uid: number; gid: number } = () => ({ uid: 0, gid: 0 });
  /** CLOCK_REALTIME in ms for file times: the guest's clock, so a sleep between two writes shows in mtime. */
  now: () => number = Date.now;
  /** The writable layer's size and inode count (a tmpfs's; unlimited until the kernel sizes it). */
  space = FileSpace.unlimited();
  /** Files no directory holds from the start (memfd): charged to RAM, outside the root's size. */
  anonSpace = FileSpace.unlimited();

  /**
   * hostRoot null: no host layer, an empty in-memory root. sysroot: qemu-user's
   * -L, a host directory searched first for every absolute path the guest
   * names (the interpreter, libraries, /etc/ld.so.cache); the guest sees such
   * a file under the sysroot's own host path, as /proc/self/maps shows it.
   */
  constructor(
    readonly hostRoot: string | null,
    readonly sysroot: string | null = null,
  ) {
    this.upper.set('/', this.newDir(0o755));
  }

  /** The path itself, or its sysroot twin when the guest names an absolute path that exists there (no symlink followed, as qemu checks it). */
  private inSysroot(path: string): string {
    const root = this.sysroot;
    if (root === null || !path.startsWith('/') || splitPath(path).length === 0) return path;
    const twin = root + '/' + splitPath(path).join('/');
    if (this.upper.has(twin)) return this.upper.get(twin)!.kind === 'whiteout' ? path : twin;
    try {
      lstatSync(twin);
      return twin;
    } catch {
      return path;
    }
  }

  /** Where a guest path lives on the host: under the sysroot as itself, elsewhere under hostRoot. */
  private hostPathOf(path: string): string {
    const root = this.sysroot;
    if (root !== null && (path === root || path.startsWith(root + '/'))) return path;
    return join(this.hostRoot!, path);
  }

  private get hasHost(): boolean {
    return this.hostRoot !== null || this.sysroot !== null;
  }

  newDir(perm: number): MemDir {
    return { layer: 'mem', kind: 'dir', perm, ino: newIno(), mtimeMs: this.now() };
  }

  newFile(data: Uint8Array, perm: number): MemFile {
    const now = this.now();
    return { layer: 'mem', kind: 'file', data, size: data.length, perm, ino: newIno(), nlink: 1, mtimeMs: now, atimeMs: now };
  }

  addDevice(path: string, node: DevNode): void {
    this.ensureDir(parentOf(path));
    this.upper.set(path, node);
  }

  addSymlink(path: string, target: string): void {
    this.ensureDir(parentOf(path));
    this.upper.set(path, { layer: 'mem', kind: 'symlink', target, ino: newIno() });
  }

  private ensureDir(path: string): void {
    if (path === '/' || this.lstat(path)?.kind === 'dir') return;
    this.ensureDir(parentOf(path));
    this.upper.set(path, this.newDir(0o755));
  }

  /** The node at an absolute, normalised path, symlinks not followed. */
  lstat(path: string): Node | null {
    const syn = this.synthetic(path);
    if (syn !== undefined) return syn;
    const up = this.upper.get(path);
    if (up) return up.kind === 'whiteout' ? null : up;
    if (!this.hasHost || this.hiddenByUpper(path)) return null;
    const inRoot = this.hostRoot === null ? null : this.hostNode(join(this.hostRoot, path));
    const root = this.sysroot;
    if (root === null || !(path === root || path.startsWith(root + '/') || root.startsWith(path + '/'))) return inRoot;
    // The sysroot and its own files are seen at their host paths; the folders
    // above it too, where the guest root has nothing of that name.
    return path === root || path.startsWith(root + '/') ? this.hostNode(path) : (inRoot ?? this.hostNode(path));
  }

  private hostNode(hostPath: string): Node | null {
    try {
      const s = lstatSync(hostPath);
      return { layer: 'host', kind: hostKind(s), hostPath, attrs: hostAttrs(s) };
    } catch {
      return null;
    }
  }

  /** A parent replaced or deleted in the upper layer hides the host's children. */
  private hiddenByUpper(path: string): boolean {
    for (let p = parentOf(path); ; p = parentOf(p)) {
      const up = this.upper.get(p);
      if (up) return up.kind !== 'dir' || (up as MemDir & { opaque?: boolean }).opaque === true;
      if (p === '/') return false;
    }
  }

  /**
   * Walks path from cwd, following symlinks (the last one only when follow).
   * root is the caller's root directory (chroot): absolute paths and
   * absolute symlinks start there and ".." does not climb above it.
   */
  resolve(cwd: string, path: string, follow: boolean, root = '/'): Resolved | number {
    if (path === '') return -ENOENT;
    if (root === '/') path = this.inSysroot(path);
    const top = splitPath(root);
    let stack = path.startsWith('/') ? [...top] : splitPath(cwd);
    let queue = splitPath(path);
    let links = 0;
    if (stack.length > 0 && queue.length > 0) {
      const start = this.lstat('/' + stack.join('/'));
      if (start && !this.canSearch(start)) return -EACCES;
    }
    while (queue.length > 0) {
      const comp = queue.shift()!;
      if (comp.length > NAME_MAX) return -ENAMETOOLONG;
      if (comp === '.') continue;
      if (comp === '..') {
        if (!atRoot(stack, top)) stack.pop();
        continue;
      }
      const here = '/' + [...stack, comp].join('/');
      const node = this.lstat(here);
      const last = queue.length === 0;
      if (node === null) {
        if (!last) return -ENOENT;
        return { path: here, node: null };
      }
      if (node.kind === 'symlink' && (!last || follow)) {
        if (++links > 40) return -ELOOP;
        if (node.layer === 'mem' && node.magic && last) return { path: here, node: node.magic };
        const target = this.readlink(node);
        queue = [...splitPath(target), ...queue];
        if (target.startsWith('/')) stack = [...top];
        continue;
      }
      if (!last && node.kind !== 'dir') return -ENOTDIR;
      if (!last && !this.canSearch(node)) return -EACCES;
      stack.push(comp);
    }
    const p = '/' + stack.join('/');
    return { path: p, node: this.lstat(p) };
  }

  readlink(node: Node): string {
    if (node.layer === 'mem') return (node as MemLink).target;
    return readlinkSync(node.hostPath, 'utf8');
  }

  attrs(node: Node): Attributes {
    if (node.layer === 'host') return node.attrs;
    return this.memAttrs(node, node.uid ?? 0, node.gid ?? 0);
  }

  /** One object literal per kind, with the owner in it (this runs for every path component a lookup checks). */
  private memAttrs(node: Exclude<MemNode, { kind: 'whiteout' }>, uid: number, gid: number): Attributes {
    switch (node.kind) {
      case 'file':
        return { kind: 'file', perm: node.perm, size: node.size, ino: node.ino, nlink: node.nlink, rdev: 0, mtimeMs: node.mtimeMs, atimeMs: node.atimeMs, ctimeMs: node.mtimeMs, uid, gid };
      case 'dir':
        return { kind: 'dir', perm: node.perm, size: 4096, ino: node.ino, nlink: 2 + (node.subdirs ?? 0), rdev: 0, mtimeMs: node.mtimeMs, atimeMs: node.atimeMs ?? node.mtimeMs, ctimeMs: node.mtimeMs, uid, gid };
      case 'fifo':
      case 'blk':
        return { kind: node.kind, perm: node.perm, size: 0, ino: node.ino, nlink: node.nlink, rdev: node.rdev, mtimeMs: node.mtimeMs, atimeMs: node.mtimeMs, ctimeMs: node.mtimeMs, uid, gid };
    }
    const now = this.now();
    switch (node.kind) {
      case 'symlink':
        return { kind: 'symlink', perm: 0o777, size: node.target.length, ino: node.ino, nlink: node.nlink ?? 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now, uid, gid };
      case 'chr':
        return { kind: 'chr', perm: node.perm, size: 0, ino: node.ino, nlink: 1, rdev: node.device.rdev, mtimeMs: now, atimeMs: now, ctimeMs: now, uid, gid };
      case 'sock':
        return { kind: 'sock', perm: node.perm, size: 0, ino: node.ino, nlink: node.nlink, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now, uid, gid };
    }
  }

  /** The whole content of a regular file. */
  contents(node: Node): Uint8Array {
    if (node.layer === 'mem') return node.kind === 'file' ? wholeFile(node) : new Uint8Array(0);
    return node.kind === 'file' ? hostFiles.read(node.hostPath, node.attrs) : readFileSync(node.hostPath);
  }

  /** A writable copy of a host file in the upper layer (the file itself when already there). */
  copyUp(path: string, node: Node): MemFile {
    if (node.layer === 'mem' && node.kind === 'file') return node;
    // Copied up already (through another description of the same host file): that copy.
    const done = this.upper.get(path);
    if (done?.kind === 'file') return done;
    // The copy keeps the host file's inode number, as overlayfs keeps st_ino (and inotify watches find it).
    const f: MemFile = { ...this.newFile(new Uint8Array(this.contents(node)), node.layer === 'host' ? node.attrs.perm : 0o644), ...(node.layer === 'host' ? { ino: node.attrs.ino } : {}) };
    if (node.layer === 'host') [f.uid, f.gid] = [node.attrs.uid, node.attrs.gid];
    // In the layer's frames, whole (the caller checked copyUpRoom where it can answer ENOSPC).
    this.adoptFile(f, this.space, true);
    if (f.pages) {
      this.space.claim(f, 0, f.size, true, true);
      writePaged(f, 0, f.data.subarray(0, f.size));
      f.data = new Uint8Array(0);
    } else {
      for (let b = 0; b * 4096 < f.size; b++) f.dataBlocks!.add(b);
    }
    this.upper.set(path, f);
    return f;
  }

  /** 0 when node (a host file) can be copied up: an inode and its blocks fit; else -ENOSPC. */
  copyUpRoom(node: Node): number {
    if (node.layer === 'mem') return 0;
    return this.space.room(1, Math.ceil(node.attrs.size / 4096));
  }

  /** 0 when one more inode fits in the writable layer (nr_inodes), else -ENOSPC. */
  /** 0 when a new inode fits (at path, when given: -ENAMETOOLONG past PATH_MAX), else the error. */
  inodeRoom(path?: string): number {
    if (path !== undefined && tooLong(path)) return -ENAMETOOLONG;
    return this.space.room(1, 0);
  }

  /** Makes f (still empty) a file of space: its inode counted (-ENOSPC past nr_inodes unless forced), its data in the space's frames from now on. */
  adoptFile(f: MemFile, space: FileSpace = this.space, force = false): number {
    const r = space.addInode(f, force);
    if (r < 0) return r;
    f.space = space;
    f.dataBlocks ??= new Set();
    if (space.frames) f.pages = new Map();
    return 0;
  }

  createFile(path: string, perm: number): MemFile {
    const f = this.owned(this.newFile(new Uint8Array(0), perm), path);
    this.adoptFile(f, this.space, true);
    this.upper.set(path, f);
    return f;
  }

  /** Stamps a node the caller creates at path: its owner, and the group of a set-group-ID parent (whose S_ISGID a new directory inherits). */
  owned<T extends Owned & { kind: string; perm?: number }>(node: T, path: string): T {
    const { uid, gid } = this.creator();
    const parent = this.lstat(parentOf(path));
    const pa = parent ? this.attrs(parent) : undefined;
    const sgidParent = pa !== undefined && (pa.perm & 0o2000) !== 0;
    node.uid = uid;
    node.gid = sgidParent ? (pa.gid ?? 0) : gid;
    if (sgidParent && node.kind === 'dir' && node.perm !== undefined) node.perm |= 0o2000;
    return node;
  }

  /** The in-memory node holding path's attributes (a host file or directory is copied up; a host directory stays transparent). */
  attrHolder(path: string, node: Node): (Owned & { perm?: number }) | null {
    if (node.layer === 'mem') return node;
    if (node.kind === 'file') return this.copyUp(path, node);
    if (node.kind === 'symlink') {
      const l: MemLink = { layer: 'mem', kind: 'symlink', target: this.readlink(node), ino: node.attrs.ino, uid: node.attrs.uid, gid: node.attrs.gid };
      this.upper.set(path, l);
      return l;
    }
    if (node.kind !== 'dir') return null;
    const d: MemDir = { ...this.newDir(node.attrs.perm), ino: node.attrs.ino, uid: node.attrs.uid, gid: node.attrs.gid };
    this.upper.set(path, d);
    return d;
  }

  mkdir(path: string, perm: number): number {
    if (this.lstat(path) !== null) return -EEXIST;
    if (tooLong(path)) return -ENAMETOOLONG;
    const d = this.owned(this.newDir(perm), path) as MemDir & { opaque?: boolean };
    const room = this.space.addInode(d);
    if (room < 0) return room;
    d.opaque = true;
    this.upper.set(path, d);
    this.countSubdir(path, 1);
    return 0;
  }

  symlink(target: string, path: string): number {
    if (this.lstat(path) !== null) return -EEXIST;
    if (tooLong(path)) return -ENAMETOOLONG;
    const l: MemLink = this.owned({ layer: 'mem', kind: 'symlink', target, ino: newIno() }, path);
    const room = this.space.addInode(l);
    if (room < 0) return room;
    try {
      const block = this.space.claimLinkTarget(l, target.length + 1);
      if (block < 0) {
        this.space.dropInode(l);
        return block;
      }
    } catch (e) {
      this.space.dropInode(l);
      throw e;
    }
    this.upper.set(path, l);
    return 0;
  }

  /** A new name for node (which is at from): the same inode, one more link. Host files are copied up first. */
  link(from: string, node: Node, to: string): number {
    if (this.lstat(to) !== null) return -EEXIST;
    if (node.kind === 'dir') return -EPERM;
    if (tooLong(to)) return -ENAMETOOLONG;
    const shared = this.linkable(from, node);
    if (shared === null) return -EPERM;
    const taken = (shared.kind === 'file' && shared.space ? shared.space : this.space).addLink(shared);
    if (taken < 0) return taken;
    shared.nlink = (shared.nlink ?? 1) + 1;
    this.upper.set(to, shared);
    return 0;
  }

  /** The in-memory inode a hard link can share (null: this kind cannot be linked here). */
  private linkable(path: string, node: Node): MemFile | MemLink | SockNode | SpecialNode | null {
    if (node.layer === 'mem') return node.kind === 'file' || node.kind === 'symlink' || node.kind === 'sock' || node.kind === 'fifo' || node.kind === 'blk' ? node : null;
    if (node.kind === 'file') return this.copyUp(path, node);
    if (node.kind !== 'symlink') return null;
    const l: MemLink = { layer: 'mem', kind: 'symlink', target: this.readlink(node), ino: node.attrs.ino, nlink: 1, uid: node.attrs.uid, gid: node.attrs.gid };
    this.upper.set(path, l);
    return l;
  }

  /** Adds a node mknod made (the caller checked the name is free and inodeRoom). */
  addNode(path: string, node: MemNode): void {
    this.space.addInode(node, true);
    this.upper.set(path, node);
  }

  /** Adds a socket node at path (bind); EEXIST when the name is taken. */
  bindSocket(path: string, perm: number, bound: object): SockNode | number {
    if (this.lstat(path) !== null) return -EEXIST;
    if (tooLong(path)) return -ENAMETOOLONG;
    const n: SockNode = this.owned({ layer: 'mem', kind: 'sock', ino: newIno(), perm, nlink: 1, bound }, path);
    const room = this.space.addInode(n);
    if (room < 0) return room;
    this.upper.set(path, n);
    return n;
  }

  unlink(path: string, dir: boolean): number {
    const node = this.lstat(path);
    if (node === null) return -ENOENT;
    if (dir && node.kind !== 'dir') return -ENOTDIR;
    if (!dir && node.kind === 'dir') return -EISDIR;
    if (dir && this.readdir(path).length > 0) return -ENOTEMPTY;
    dropLink(node);
    this.remove(path);
    nameDropped(this.space, node);
    if (node.kind === 'dir') this.countSubdir(path, -1);
    return 0;
  }

  /** A directory's link count is 2 plus its subdirectories: keep the in-memory parent's count. */
  private countSubdir(path: string, delta: number): void {
    const parent = this.upper.get(parentOf(path));
    if (parent?.kind === 'dir') parent.subdirs = Math.max(0, (parent.subdirs ?? 0) + delta);
  }

  /** A name leaves the upper layer; a whiteout hides it only where the lower layer has it (so deleted files leave nothing behind). */
  private remove(path: string): void {
    this.upper.delete(path);
    if (this.hasHost && this.lstat(path) !== null) this.upper.set(path, { layer: 'mem', kind: 'whiteout' });
  }

  rename(from: string, to: string): number {
    const node = this.lstat(from);
    if (node === null) return -ENOENT;
    const dest = this.lstat(to);
    // Two names of one inode: rename does nothing (POSIX).
    if (dest === node && node.layer === 'mem') return 0;
    if (dest?.kind === 'dir' && node.kind !== 'dir') return -EISDIR;
    if (dest && dest.kind !== 'dir' && node.kind === 'dir') return -ENOTDIR;
    if (dest?.kind === 'dir' && this.readdir(to).length > 0) return -ENOTEMPTY;
    // A directory cannot move below itself (Linux: EINVAL).
    if (node.kind === 'dir' && to.startsWith(`${from}/`)) return -EINVAL;
    if (to.length > from.length && to.length + (node.kind === 'dir' ? this.longestUnder(from) : 0) >= PATH_MAX) return -ENAMETOOLONG;
    if (node.kind === 'dir') {
      // The new directory first, so the children moving into it are counted there.
      // The same directory inode under its new name (its ino, times, attributes), holding all its children now.
      const moved = (node.layer === 'mem' ? node : { ...this.newDir(node.attrs.perm), ino: node.attrs.ino, uid: node.attrs.uid, gid: node.attrs.gid }) as MemDir & { opaque?: boolean };
      moved.opaque = true;
      if (dest) nameDropped(this.space, dest);
      this.upper.set(to, moved);
      if (!dest) this.countSubdir(to, 1);
      for (const e of this.readdir(from)) {
        const r = this.rename(`${from}/${e.name}`, `${to}/${e.name}`);
        if (r < 0) return r;
      }
      this.countSubdir(from, -1);
    } else {
      if (dest) dropLink(dest);
      this.upper.set(to, node.layer === 'mem' ? (node as MemNode) : this.copyUp(to, node));
      if (dest) nameDropped(this.space, dest);
    }
    this.remove(from);
    return 0;
  }

  /** RENAME_EXCHANGE: the two names swap what they name (both exist; the caller checked). */
  exchange(a: string, b: string): number {
    const parked = `${parentOf(a) === '/' ? '' : parentOf(a)}/.#exchange-${newIno()}`;
    const r = this.rename(a, parked);
    if (r < 0) return r;
    const s = this.rename(b, a);
    if (s < 0) {
      this.rename(parked, a);
      return s;
    }
    const t = this.rename(parked, b);
    if (this.hasHost) this.upper.delete(parked);
    return t;
  }

  /** The names in a directory (without . and ..), upper layer over host. */
  /** The longest relative path below the directory path (0 when empty). */
  private longestUnder(path: string): number {
    let most = 0;
    for (const e of this.readdir(path)) {
      const below = e.type === DT.dir ? this.longestUnder(`${path}/${e.name}`) : 0;
      most = Math.max(most, 1 + e.name.length + below);
    }
    return most;
  }

  readdir(path: string): DirEntry[] {
    const syn = this.syntheticDir(path);
    if (syn !== undefined) return syn;
    const names = new Map<string, DirEntry>();
    const up = this.upper.get(path) as (MemNode & { opaque?: boolean }) | undefined;
    const hostVisible = this.hasHost && (up === undefined || (up.kind === 'dir' && up.opaque !== true)) && !this.hiddenByUpper(path);
    if (hostVisible) {
      try {
        for (const name of readdirSync(this.hostPathOf(path))) {
          const n = this.lstat(join(path, name));
          if (n) names.set(name, { name, type: DT[n.kind], ino: this.attrs(n).ino });
        }
      } catch {
        // unreadable host directory: list what the upper layer has
      }
    }
    for (const [name, n] of this.upper.childrenOf(path)) {
      if (n.kind === 'whiteout') names.delete(name);
      else names.set(name, { name, type: DT[n.kind], ino: this.attrs(n).ino });
    }
    return [...names.values()];
  }
}

/** Is the walk at the root directory (where ".." stays)? */
function atRoot(stack: readonly string[], top: readonly string[]): boolean {
  return stack.length === top.length && stack.every((c, i) => c === top[i]);
}

/** One name fewer for an in-memory inode. */
/**
 * PATH_MAX for names of the layer: the layer keys every name by its absolute
 * path, so a chain of directories costs the host the square of its depth (a
 * chain of 250-byte names made through relative paths crashed the host at
 * 4.3 GB under -m 256M). Linux lets relative paths go deeper; here a name
 * whose absolute path passes PATH_MAX - 1 bytes is ENAMETOOLONG, so the
 * layer's keys take at most PATH_MAX bytes an inode.
 */
const PATH_MAX = 4096;

function tooLong(path: string): boolean {
  return path.length >= PATH_MAX;
}

function dropLink(node: Node): void {
  if (node.layer === 'mem' && (node.kind === 'file' || node.kind === 'symlink' || node.kind === 'sock' || node.kind === 'fifo' || node.kind === 'blk')) node.nlink = (node.nlink ?? 1) - 1;
}

function hostAttrs(s: Stats): Attributes {
  return { kind: hostKind(s), perm: s.mode & 0o7777, size: s.size, ino: s.ino, nlink: s.nlink, rdev: s.rdev, mtimeMs: s.mtimeMs, atimeMs: s.atimeMs, ctimeMs: s.ctimeMs, uid: s.uid, gid: s.gid };
}

/** Shared by every overlay of the process: the host's files are the same for all (a test runs many systems). */
const hostFiles = new HostFileCache();

export type { HostNode };
