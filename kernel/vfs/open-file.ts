// Open file descriptions: what a file descriptor points at (shared by dup and
// fork), with its offset and status flags.

import type { Device } from './device';
import { S_IFMT, type Attributes, type Node } from './node';
import type { DirEntry, OverlayFs } from './overlay-fs';
import { EINVAL, EISDIR } from './vfs-errno';

export const O_ACCMODE = 3;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o40000;
export const O_NOFOLLOW = 0o100000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

export abstract class OpenFile {
  offset = 0;
  private refs = 1;

  constructor(
    readonly path: string,
    public statusFlags: number,
  ) {}

  get readable(): boolean {
    return (this.statusFlags & O_ACCMODE) !== O_WRONLY;
  }

  get writable(): boolean {
    return (this.statusFlags & O_ACCMODE) !== 0;
  }

  get isTty(): boolean {
    return false;
  }

  /** Bytes read at pos (or the offset when null); a negative errno, -EAGAIN when it would block. */
  abstract read(max: number, pos: number | null): Uint8Array | number;
  abstract write(data: Uint8Array, pos: number | null): number;
  abstract attrs(): Attributes;
  readdir(): DirEntry[] | number {
    return -20; // ENOTDIR
  }
  pollIn(): boolean {
    return true;
  }
  pollOut(): boolean {
    return true;
  }
  /** When time alone may make the file ready (performance.now() ms), for a blocked reader's deadline. */
  readyAt(): number | undefined {
    return undefined;
  }
  /** The file's bytes for a private mapping (null: cannot be mapped). */
  mappable(): Uint8Array | null {
    return null;
  }
  truncate(length: number): number {
    void length;
    return -EINVAL;
  }
  seekable(): boolean {
    return true;
  }
  protected released(): void {}

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) this.released();
  }

  modeBits(): number {
    const a = this.attrs();
    return S_IFMT[a.kind] | a.perm;
  }
}

/** A regular file of either layer; writes go to the in-memory copy. */
export class RegularFile extends OpenFile {
  private cache: Uint8Array | null = null;

  /** Is this description open for writing the file at node (execve of it is ETXTBSY)? */
  writes(node: Node): boolean {
    return this.node === node && this.writable;
  }

  constructor(
    path: string,
    flags: number,
    private node: Node,
    private readonly fs: OverlayFs,
  ) {
    super(path, flags);
  }

  private bytes(): Uint8Array {
    if (this.node.layer === 'mem' && this.node.kind === 'file') return this.node.data.subarray(0, this.node.size);
    return (this.cache ??= this.fs.contents(this.node));
  }

  read(max: number, pos: number | null): Uint8Array | number {
    const at = pos ?? this.offset;
    const b = this.bytes();
    const out = b.slice(Math.min(at, b.length), Math.min(at + max, b.length));
    if (pos === null) this.offset += out.length;
    return out;
  }

  write(data: Uint8Array, pos: number | null): number {
    const f = this.fs.copyUp(this.path, this.node);
    this.node = f;
    let at = pos ?? ((this.statusFlags & O_APPEND) !== 0 ? f.size : this.offset);
    const end = at + data.length;
    if (end > f.data.length) {
      const grown = new Uint8Array(Math.max(end, f.data.length * 2, 256));
      grown.set(f.data.subarray(0, f.size));
      f.data = grown;
    }
    f.data.set(data, at);
    f.size = Math.max(f.size, end);
    f.mtimeMs = Date.now();
    at = end;
    if (pos === null) this.offset = at;
    return data.length;
  }

  override truncate(length: number): number {
    const f = this.fs.copyUp(this.path, this.node);
    this.node = f;
    if (length > f.data.length) {
      const grown = new Uint8Array(length);
      grown.set(f.data.subarray(0, f.size));
      f.data = grown;
    } else {
      f.data.fill(0, length, f.size);
    }
    f.size = length;
    return 0;
  }

  attrs(): Attributes {
    return this.fs.attrs(this.node);
  }

  override mappable(): Uint8Array {
    return this.bytes();
  }
}

export class DirectoryFile extends OpenFile {
  constructor(
    path: string,
    flags: number,
    private readonly node: Node,
    private readonly fs: OverlayFs,
  ) {
    super(path, flags);
  }

  read(): number {
    return -EISDIR;
  }
  write(): number {
    return -EISDIR;
  }
  attrs(): Attributes {
    return this.fs.attrs(this.node);
  }
  override readdir(): DirEntry[] {
    return this.fs.readdir(this.path);
  }
}

export class DeviceFile extends OpenFile {
  constructor(
    path: string,
    flags: number,
    readonly device: Device,
    private readonly ino: number,
  ) {
    super(path, flags);
  }

  override get isTty(): boolean {
    return this.device.isTty;
  }
  read(max: number): Uint8Array | number {
    return this.device.read(max) ?? -11;
  }
  write(data: Uint8Array): number {
    return this.device.write(data);
  }
  override seekable(): boolean {
    return false;
  }
  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'chr', perm: 0o666, size: 0, ino: this.ino, nlink: 1, rdev: this.device.rdev, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }
}
