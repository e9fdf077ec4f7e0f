// /proc/<pid>/maps in Linux's format: one line per mapping, adjacent regions
// that Linux would hold in one VMA merged, file mappings with their offset,
// device and inode, and [heap], [stack] named.

import type { Region } from '../mm/region';
import type { AddressSpace } from '../process/address-space';
import { mappedFile } from '../process/mapped-file';

/** The device stat() reports for every file (8:1), so maps and stat agree. */
const FILE_DEV = '08:01';
/** Linux pads the fields to this column before the name (seq_setwidth of 25 + 6 * sizeof(void *) - 1). */
const NAME_COLUMN = 72;

export interface Line {
  start: number;
  end: number;
  perms: string;
  /** Byte offset in the file (0 for anonymous memory). */
  offset: number;
  dev: string;
  ino: number;
  name: string;
  /** The file offset the next page would have, for merging. */
  nextOffset: number;
  file: boolean;
  /** The regions the line covers, in order. */
  regions: Region[];
  tags: number;
}

function describe(mem: AddressSpace, r: Region, sigpage: number | undefined): Line {
  const shared = mem.shared.has(r.mo);
  const perms = `${r.perms.read ? 'r' : '-'}${r.perms.write ? 'w' : '-'}${r.perms.exec ? 'x' : '-'}${shared ? 's' : 'p'}`;
  const f = mappedFile(r.mo);
  const size = r.end - r.start;
  if (f) {
    const offset = f.offset + r.moPage * 4096;
    return { start: r.start, end: r.end, perms, offset, dev: FILE_DEV, ino: f.ino, name: f.path, nextOffset: offset + size, file: true, regions: [r], tags: r.tags ?? 0 };
  }
  const name = r.kind === 'heap' ? '[heap]' : r.kind === 'stack' ? '[stack]' : r.start === sigpage ? '[sigpage]' : r.start === mem.vdso ? '[vdso]' : '';
  return { start: r.start, end: r.end, perms, offset: 0, dev: '00:00', ino: 0, name, nextOffset: 0, file: false, regions: [r], tags: r.tags ?? 0 };
}

function mergeable(a: Line, b: Line): boolean {
  if (a.end !== b.start || a.perms !== b.perms || a.file !== b.file || a.name !== b.name || a.tags !== b.tags) return false;
  return a.file ? a.ino === b.ino && a.nextOffset === b.offset : true;
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');

/** The mappings as Linux's VMAs: adjacent regions it would hold in one merged. */
export function mapLines(mem: AddressSpace, sigpage?: number): Line[] {
  const lines: Line[] = [];
  for (const r of [...mem.vs.regions].sort((a, b) => a.start - b.start)) {
    const line = describe(mem, r, sigpage);
    const last = lines[lines.length - 1];
    if (last && mergeable(last, line)) {
      last.end = line.end;
      last.nextOffset = line.nextOffset;
      last.regions.push(r);
    } else lines.push(line);
  }
  return lines;
}

/** A line's head as maps and smaps print it. */
export function mapsLine(l: Line): string {
  const head = `${hex(l.start)}-${hex(l.end)} ${l.perms} ${hex(l.offset)} ${l.dev} ${l.ino} `;
  return l.name === '' ? `${head}\n` : `${head.padEnd(NAME_COLUMN)} ${l.name}\n`;
}

/** sigpage: where the kernel's sigreturn trampoline page is, if the arch has one. */
export function formatMaps(mem: AddressSpace, sigpage?: number): string {
  return mapLines(mem, sigpage).map(mapsLine).join('');
}
