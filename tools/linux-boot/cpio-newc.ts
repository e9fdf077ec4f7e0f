// A writer of cpio archives in the "newc" format (magic 070701), the format
// Linux unpacks an initramfs from: one header of 13 hex fields per entry, the
// name and the data each padded to 4 bytes, ended by a TRAILER!!! entry.

export interface CpioEntry {
  /** Path inside the archive, without a leading slash ("bin/busybox"). */
  readonly name: string;
  /** st_mode: file type and permission bits (0o100755, 0o040755, 0o020600...). */
  readonly mode: number;
  readonly data?: Uint8Array;
  /** For device nodes: major and minor numbers. */
  readonly rdev?: { major: number; minor: number };
}

export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFLNK = 0o120000;

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const pad4 = (n: number) => (4 - (n % 4)) % 4;

function header(ino: number, e: CpioEntry, size: number, nameSize: number): string {
  const isDir = (e.mode & 0o170000) === S_IFDIR;
  const fields = [ino, e.mode, 0, 0, isDir ? 2 : 1, 0, size, 0, 0, e.rdev?.major ?? 0, e.rdev?.minor ?? 0, nameSize, 0];
  return '070701' + fields.map(hex8).join('');
}

/** The archive's bytes (uncompressed). Inode numbers follow the entries' order from 1. */
export function cpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  let length = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    length += b.length;
  };
  const all = [...entries, { name: 'TRAILER!!!', mode: 0 }];
  all.forEach((e, i) => {
    const data = e.data ?? new Uint8Array(0);
    const name = enc.encode(e.name + '\0');
    const head = enc.encode(header(e.name === 'TRAILER!!!' ? 0 : i + 1, e, data.length, name.length));
    push(head);
    push(name);
    push(new Uint8Array(pad4(head.length + name.length)));
    push(data);
    push(new Uint8Array(pad4(data.length)));
  });
  const out = new Uint8Array(length);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
