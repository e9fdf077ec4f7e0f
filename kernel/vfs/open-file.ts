// Open file descriptions: what a file descriptor points at (shared by dup and
// fork), with its offset and status flags.

import type { Device } from './device';
import { S_IFMT, type Attributes, type MemFile, type Node } from './node';
import type { DirEntry, OverlayFs } from './overlay-fs';
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, type EdgeDirection } from './readiness';
import { EFBIG, EINVAL, EISDIR, ENOSPC } from './vfs-errno';
import { dropData, HOLE_BLOCK, markData } from './file-holes';
import { bytesThatFit, fileClosed } from './file-space';
import { paged, readBytes, truncatePaged, wholeFile, writePaged, zeroPaged } from './file-pages';

/**
 * The largest file of an in-memory layer without frames (a bare OverlayFs,
 * tests): its bytes live in one host buffer, so a write or truncate past this
 * answers EFBIG. It is also the most a whole-file copy (mmap's snapshot, exec)
 * takes of any file.
 */
export const MEM_FILE_MAX = 1 << 28;

/**
 * tmpfs's s_maxbytes for a file whose data lives in frames (file-pages.ts):
 * sparse, a hole costs nothing. Linux's is MAX_LFS_FILESIZE (2^63 - 1); ours
 * stops where a double still counts every byte (2^53, less a block).
 */
export const PAGED_FILE_MAX = 2 ** 53 - HOLE_BLOCK;

/** The largest size f may reach: EFBIG past it. */
export const fileMax = (f: MemFile): number => (paged(f) ? PAGED_FILE_MAX : MEM_FILE_MAX);

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
/** O_DIRECT at its arm64 (generic) bit, as the kernel keeps flags (arch-abi.ts maps x86_64's). */
export const O_DIRECT = 0o200000;
export const O_NOFOLLOW = 0o100000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

/** Called when the last reference to an open file description goes (its locks and leases go with it). */
export const lastCloseHooks: ((file: OpenFile) => void)[] = [];

export abstract class OpenFile {
  offset = 0;
  private refs = 1;

  constructor(
    /** Where it was opened; rename of a directory above it updates it. */
    public path: string,
    public statusFlags: number,
  ) {}

  /** An O_PATH description neither reads nor writes. */
  get readable(): boolean {
    return (this.statusFlags & (O_ACCMODE | O_PATH)) !== O_WRONLY && (this.statusFlags & O_PATH) === 0;
  }

  get writable(): boolean {
    return (this.statusFlags & O_ACCMODE) !== 0 && (this.statusFlags & O_PATH) === 0;
  }

  /** Opened with O_PATH: only descriptor-level calls (close, dup, fcntl, fstat, *at) work on it. */
  get pathOnly(): boolean {
    return (this.statusFlags & O_PATH) !== 0;
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
  // Readiness, as poll, select and epoll ask it (readiness.ts describes the interface).
  pollIn(): boolean {
    return true;
  }
  pollOut(): boolean {
    return true;
  }
  /** The POLL* bits that hold now. */
  pollEvents(): number {
    return (this.pollIn() ? POLLIN | POLLRDNORM : 0) | (this.pollOut() ? POLLOUT | POLLWRNORM : 0);
  }
  /** Has the file a poll operation (epoll_ctl answers EPERM for those without)? */
  pollable(): boolean {
    return true;
  }
  /** Times input arrived ('in') or room to write appeared ('out'); 0 when the file keeps no count. */
  edgeCount(direction: EdgeDirection): number {
    void direction;
    return 0;
  }
  /** When time alone may make the file ready (kernel ms), for a blocked reader's deadline. */
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

  /** References held: descriptors, and files in flight in sockets' queues. */
  get refCount(): number {
    return this.refs;
  }

  /** Some descriptor still names this open file description. */
  get isOpen(): boolean {
    return this.refs > 0;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs !== 0) return;
    this.released();
    for (const hook of lastCloseHooks) hook(this);
  }

  modeBits(): number {
    const a = this.attrs();
    return S_IFMT[a.kind] | a.perm;
  }
}

const SEAL_SHRINK = 2;
const SEAL_GROW = 4;
const SEAL_WRITES = 8 | 16;
const EPERM = 1;

function sealRefusesWrite(f: MemFile, end: number): number {
  const s = f.seals ?? 0;
  if ((s & SEAL_WRITES) !== 0 || ((s & SEAL_GROW) !== 0 && end > f.size)) return -EPERM;
  return 0;
}

function sealRefusesResize(f: MemFile, length: number): number {
  const s = f.seals ?? 0;
  if (((s & SEAL_SHRINK) !== 0 && length < f.size) || ((s & SEAL_GROW) !== 0 && length > f.size)) return -EPERM;
  return 0;
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
    this.held(node);
  }

  /** Counts this description as an open file of node (an unlinked file lives while one is open). */
  private held(node: Node): void {
    if (node.layer === 'mem' && node.kind === 'file') node.opens = (node.opens ?? 0) + 1;
  }

  /** The in-memory copy this description writes (copied up now if it was the host's); -ENOSPC when the copy does not fit. */
  private writableNode(): MemFile | number {
    if (this.node.layer === 'mem' && this.node.kind === 'file') return this.node;
    const room = this.fs.copyUpRoom(this.node);
    if (room < 0) return room;
    const f = this.fs.copyUp(this.path, this.node);
    this.node = f;
    this.held(f);
    return f;
  }

  protected override released(): void {
    if (this.node.layer === 'mem' && this.node.kind === 'file') fileClosed(this.node);
  }

  /** The inode this description reads and writes. */
  get inode(): Node {
    return this.node;
  }

  private bytes(): Uint8Array {
    if (this.node.layer === 'mem' && this.node.kind === 'file') return wholeFile(this.node);
    return (this.cache ??= this.fs.contents(this.node));
  }

  read(max: number, pos: number | null): Uint8Array | number {
    const at = pos ?? this.offset;
    const node = this.node;
    let out: Uint8Array;
    if (node.layer === 'mem' && node.kind === 'file') out = readBytes(node, at, max);
    else {
      const b = this.bytes();
      out = b.slice(Math.min(at, b.length), Math.min(at + max, b.length));
    }
    if (pos === null) this.offset += out.length;
    return out;
  }

  write(data: Uint8Array, pos: number | null): number {
    const f = this.writableNode();
    if (typeof f === 'number') return f;
    // O_APPEND writes at the end even for pwrite, as on Linux.
    let at = (this.statusFlags & O_APPEND) !== 0 ? f.size : (pos ?? this.offset);
    const max = fileMax(f);
    if (at >= max) return data.length === 0 ? 0 : -EFBIG;
    if (at + data.length > max) data = data.subarray(0, max - at);
    const end = at + data.length;
    const sealed = sealRefusesWrite(f, end);
    if (sealed < 0) return sealed;
    const fits = bytesThatFit(f, at, data.length);
    if (fits === 0 && data.length > 0) return -ENOSPC;
    if (fits < data.length) return this.write(data.subarray(0, fits), pos);
    if (paged(f)) {
      const full = f.space!.claim(f, at, end, false, true);
      if (full < 0) return full;
      writePaged(f, at, data);
    } else {
      if (end > f.data.length) {
        const grown = new Uint8Array(Math.max(end, f.data.length * 2, 256));
        grown.set(f.data.subarray(0, f.size));
        f.data = grown;
      }
      f.data.set(data, at);
      markData(f, at, end);
    }
    f.size = Math.max(f.size, end);
    f.mtimeMs = this.fs.now();
    at = end;
    if (pos === null) this.offset = at;
    return data.length;
  }

  override truncate(length: number): number {
    if (length > PAGED_FILE_MAX) return -EFBIG;
    const f = this.writableNode();
    if (typeof f === 'number') return f;
    if (length > fileMax(f)) return -EFBIG;
    const sealed = sealRefusesResize(f, length);
    if (sealed < 0) return sealed;
    f.mtimeMs = this.fs.now();
    if (paged(f)) {
      truncatePaged(f, length);
      return 0;
    }
    if (length > f.data.length) {
      const grown = new Uint8Array(length);
      grown.set(f.data.subarray(0, f.size));
      f.data = grown;
    } else {
      f.data.fill(0, length, f.size);
    }
    if (length < f.size) dropData(f, Math.ceil(length / HOLE_BLOCK) * HOLE_BLOCK, Infinity);
    f.size = length;
    return 0;
  }

  /** fallocate: the blocks of [start, end) are allocated (charged; -ENOSPC when they do not fit), the size unchanged. */
  allocate(start: number, end: number): number {
    const f = this.writableNode();
    if (typeof f === 'number') return f;
    if (!paged(f)) {
      markData(f, start, end);
      return 0;
    }
    return f.space!.claim(f, start, end);
  }

  /** FALLOC_FL_PUNCH_HOLE: zeros over [start, end) of the file, whose whole blocks become holes again (their pages given back). */
  punchHole(start: number, end: number): number {
    const f = this.writableNode();
    if (typeof f === 'number') return f;
    const sealed = sealRefusesWrite(f, 0);
    if (sealed < 0) return sealed;
    if (paged(f)) zeroPaged(f, start, Math.min(end, f.size));
    else f.data.fill(0, Math.min(start, f.data.length), Math.min(end, f.size, f.data.length));
    dropData(f, Math.ceil(start / HOLE_BLOCK) * HOLE_BLOCK, Math.floor(end / HOLE_BLOCK) * HOLE_BLOCK);
    f.space?.settle(f);
    f.mtimeMs = this.fs.now();
    return 0;
  }

  attrs(): Attributes {
    return this.fs.attrs(this.node);
  }

  override mappable(): Uint8Array {
    return this.bytes();
  }
  override pollable(): boolean {
    return false;
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
  /** The directory's node (a /proc/PID directory stands for its process: pidfd_send_signal takes it). */
  get inode(): Node {
    return this.node;
  }
  override pollable(): boolean {
    return false;
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
  /** /dev/null and /dev/zero have no poll operation in Linux. */
  override pollable(): boolean {
    return this.device.name !== 'null' && this.device.name !== 'zero';
  }
  attrs(): Attributes {
    const now = Date.now();
    if (this.device.pipeToHost) return { kind: 'fifo', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
    return { kind: 'chr', perm: 0o666, size: 0, ino: this.ino, nlink: 1, rdev: this.device.rdev, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }
}
