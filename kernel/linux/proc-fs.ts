// /proc as a tree of entries generated from the kernel's state on each
// lookup: files (their text made when first read, size 0 in stat as on
// Linux; some accept writes), directories (their names listed on demand)
// and links. Inode numbers stay the same for a path.

import type { Attributes, MemDir, MemFile, MemLink, Node } from '../vfs/node';
import { DT } from '../vfs/node';
import { OpenFile } from '../vfs/open-file';
import type { DirEntry } from '../vfs/overlay-fs';
import { EIO } from './errno';
import type { LinuxSystem } from './linux-system';
import { markProcDir, type PidTarget } from './pidfd';

/** What a file's reads and writes do. write answers the bytes taken or a negative errno. */
export interface ProcSource {
  read(): string | Uint8Array;
  write?(text: string): number;
  /** A /proc/sys file: root gets no override of its mode bits (Linux's sysctl permission). */
  readonly sysctl?: boolean;
  /** Bytes at pos, for a file too large to make whole (pagemap); read is not used then. */
  readAt?(pos: number, max: number): Uint8Array | number;
}

export type ProcEntry =
  | { readonly kind: 'file'; readonly perm: number; readonly source: ProcSource; readonly uid?: number; readonly gid?: number }
  | { readonly kind: 'dir'; readonly perm: number; readonly names: () => string[]; readonly child: (name: string) => ProcEntry | null; readonly uid?: number; readonly gid?: number; readonly process?: PidTarget }
  | { readonly kind: 'link'; readonly target: string; readonly magic?: MemFile };

export const procFile = (read: () => string | Uint8Array, perm = 0o444): ProcEntry => ({ kind: 'file', perm, source: { read } });

/** A directory of fixed children. */
export function procDir(children: Record<string, () => ProcEntry | null>, perm = 0o555): ProcEntry {
  return { kind: 'dir', perm, names: () => Object.keys(children), child: (n) => (Object.hasOwn(children, n) ? children[n]() : null) };
}

const sources = new WeakMap<MemFile, ProcSource>();

/** The source of a /proc file node (undefined for any other node). */
export function procSourceOf(node: Node): ProcSource | undefined {
  return node.layer === 'mem' && node.kind === 'file' ? sources.get(node) : undefined;
}

/** An open /proc file: the text is made at the first read and kept for the life of the description. */
export class ProcOpenFile extends OpenFile {
  private text: Uint8Array | null = null;

  constructor(
    path: string,
    flags: number,
    private readonly node: MemFile,
    private readonly source: ProcSource,
    private readonly attrsOf: (n: Node) => Attributes,
  ) {
    super(path, flags);
  }

  private bytes(): Uint8Array {
    if (this.text === null) {
      const t = this.source.read();
      this.text = typeof t === 'string' ? Buffer.from(t) : t;
    }
    return this.text;
  }

  read(max: number, pos: number | null): Uint8Array | number {
    const at = pos ?? this.offset;
    if (this.source.readAt) {
      const part = this.source.readAt(at, max);
      if (pos === null && typeof part !== 'number') this.offset += part.length;
      return part;
    }
    const b = this.bytes();
    const out = b.slice(Math.min(at, b.length), Math.min(at + max, b.length));
    if (pos === null) this.offset += out.length;
    return out;
  }

  write(data: Uint8Array): number {
    if (!this.source.write) return -EIO;
    const r = this.source.write(Buffer.from(data).toString('latin1'));
    if (r >= 0) this.text = null;
    return r < 0 ? r : data.length;
  }

  override truncate(): number {
    return 0;
  }

  /**
   * Linux's per-process files (/proc/PID/...) have no poll, except the mount
   * tables (mounts_poll); the rest of /proc has (proc_reg_poll, proc_sys_poll).
   */
  override pollable(): boolean {
    const perProcess = /^\/proc\/(self|thread-self|\d+)\//.test(this.path);
    return !perProcess || /\/(mounts|mountinfo|mountstats)$/.test(this.path);
  }

  attrs(): Attributes {
    return this.attrsOf(this.node);
  }
}

export class ProcTree {
  private readonly inodes = new Map<string, number>();
  /** A /proc/PID directory's inode follows its process, so a reused pid shows a new one. */
  private readonly processInodes = new WeakMap<object, number>();
  private nextIno = 0x7000_0000;

  constructor(
    private readonly sys: LinuxSystem,
    private readonly root: ProcEntry,
  ) {}

  private ino(path: string): number {
    let n = this.inodes.get(path);
    if (n === undefined) this.inodes.set(path, (n = this.nextIno++));
    return n;
  }

  /** The entry at a path under /proc (parts: the names after "/proc"). */
  entry(parts: readonly string[]): ProcEntry | null {
    let e: ProcEntry | null = this.root;
    for (const name of parts) {
      if (e?.kind !== 'dir') return null;
      e = e.child(name);
    }
    return e;
  }

  /** The node for a path under /proc: undefined when the path is not under /proc, null when nothing is there. */
  lookup(path: string): Node | null | undefined {
    if (path !== '/proc' && !path.startsWith('/proc/')) return undefined;
    const e = this.entry(path.split('/').slice(2));
    return e ? this.node(path, e) : null;
  }

  private node(path: string, e: ProcEntry): Node {
    const now = Date.now();
    const ino = this.ino(path);
    if (e.kind === 'link') return { layer: 'mem', kind: 'symlink', target: e.target, ino, magic: e.magic } satisfies MemLink;
    if (e.kind === 'dir') {
      const owner = e.process;
      let dirIno = ino;
      if (owner !== undefined && owner !== 'init') {
        dirIno = this.processInodes.get(owner) ?? this.nextIno++;
        this.processInodes.set(owner, dirIno);
      }
      const dir: MemDir = { layer: 'mem', kind: 'dir', perm: e.perm, ino: dirIno, mtimeMs: now, uid: e.uid ?? 0, gid: e.gid ?? 0 };
      if (owner !== undefined) markProcDir(dir, owner);
      return dir;
    }
    const f: MemFile = { layer: 'mem', kind: 'file', data: new Uint8Array(0), size: 0, perm: e.perm, ino, nlink: 1, mtimeMs: now, atimeMs: now, uid: e.uid ?? 0, gid: e.gid ?? 0 };
    sources.set(f, e.source);
    return f;
  }

  /** The names of a /proc directory; undefined when path is not one. */
  list(path: string): DirEntry[] | undefined {
    if (path !== '/proc' && !path.startsWith('/proc/')) return undefined;
    const e = this.entry(path.split('/').slice(2));
    if (e?.kind !== 'dir') return undefined;
    const out: DirEntry[] = [];
    for (const name of e.names()) {
      const child = e.child(name);
      if (!child) continue;
      const kind = child.kind === 'file' ? 'file' : child.kind === 'dir' ? 'dir' : 'symlink';
      out.push({ name, type: DT[kind], ino: this.ino(`${path}/${name}`) });
    }
    return out;
  }

  get system(): LinuxSystem {
    return this.sys;
  }
}
