// /proc/<pid>/smaps, smaps_rollup and pagemap from the VSpace's state: the
// resident pages of each mapping (those faulted in and mapped), whether the
// mapping is locked, and per page the present bit and frame number. There is
// no swap and no huge page here, so those fields are 0. Pss is the resident
// size: pages shared between processes are not split among them.

import type { AddressSpace } from '../process/address-space';
import type { LinuxProcess } from './linux-process';
import { mappedFile } from '../process/mapped-file';
import { EINVAL } from './errno';
import { regionLocked } from './memory-locks';
import { mapLines, mapsLine, type Line } from './proc-maps';

const PAGE = 4096;
const CAP_SYS_ADMIN = 21;

interface Figures {
  size: number;
  rss: number;
  anon: number;
  file: number;
  shared: number;
  locked: number;
}

function figuresOf(mem: AddressSpace, l: Line): Figures {
  const f: Figures = { size: l.end - l.start, rss: 0, anon: 0, file: 0, shared: 0, locked: 0 };
  for (const r of l.regions) {
    const rss = mem.vs.residentIn(r.start, r.end) * PAGE;
    f.rss += rss;
    if (mem.shared.has(r.mo)) f.shared += rss;
    else if (mappedFile(r.mo)) f.file += rss;
    else f.anon += rss;
    if (regionLocked(r)) f.locked += rss;
  }
  return f;
}

const kb = (label: string, bytes: number): string => `${`${label}:`.padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;

/** The counters every smaps entry and the rollup print, Linux 6.1's order. */
function counters(f: Figures): string {
  let s = kb('Rss', f.rss) + kb('Pss', f.rss) + kb('Pss_Dirty', f.anon);
  s += kb('Shared_Clean', f.shared) + kb('Shared_Dirty', 0) + kb('Private_Clean', f.file) + kb('Private_Dirty', f.anon);
  s += kb('Referenced', f.rss) + kb('Anonymous', f.anon) + kb('LazyFree', 0) + kb('AnonHugePages', 0) + kb('ShmemPmdMapped', 0) + kb('FilePmdMapped', 0);
  s += kb('Shared_Hugetlb', 0) + kb('Private_Hugetlb', 0) + kb('Swap', 0) + kb('SwapPss', 0) + kb('Locked', f.locked);
  return s;
}

/** VmFlags: the two-letter names of Linux's show_smap_vma_flags for what a mapping here can be. */
function vmFlags(l: Line): string {
  const [r, w, x, s] = l.perms;
  const names = [r === 'r' && 'rd', w === 'w' && 'wr', x === 'x' && 'ex', s === 's' && 'sh', 'mr', 'mw', 'me', s === 's' && 'ms', l.name === '[stack]' && 'gd', regionLockedLine(l) && 'lo', s !== 's' && w === 'w' && 'ac'];
  return names.filter(Boolean).join(' ');
}

const regionLockedLine = (l: Line): boolean => l.regions.some(regionLocked);

export function smapsText(mem: AddressSpace, sigpage?: number): string {
  let s = '';
  for (const l of mapLines(mem, sigpage)) {
    const f = figuresOf(mem, l);
    s += mapsLine(l) + kb('Size', f.size) + kb('KernelPageSize', PAGE) + kb('MMUPageSize', PAGE) + counters(f);
    s += `THPeligible:    0\nVmFlags: ${vmFlags(l)} \n`;
  }
  return s;
}

export function smapsRollupText(mem: AddressSpace, sigpage?: number): string {
  const lines = mapLines(mem, sigpage);
  const sum: Figures = { size: 0, rss: 0, anon: 0, file: 0, shared: 0, locked: 0 };
  for (const l of lines) {
    const f = figuresOf(mem, l);
    for (const k of Object.keys(sum) as (keyof Figures)[]) sum[k] += f[k];
  }
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  const first = lines[0]?.start ?? 0;
  const last = lines[lines.length - 1]?.end ?? 0;
  return `${`${hex(first)}-${hex(last)} ---p 00000000 00:00 0 `.padEnd(72)} [rollup]\n` + counters(sum);
}

const PM_PRESENT = 2 ** 63;
const PM_FILE = 2 ** 61;

/**
 * pagemap's entries for the pages from index first (a page number), count of
 * them: 64 bits each, present bit, file/shared bit and the frame number
 * (shown to root, as Linux shows it with CAP_SYS_ADMIN).
 */
export function pagemapEntries(mem: AddressSpace, first: number, count: number, showFrames: boolean): Uint8Array {
  const out = new Uint8Array(count * 8);
  const v = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    const va = (first + i) * PAGE;
    const r = mem.vs.findRegion(va);
    if (!r) continue;
    const pa = mem.vs.frameOf(va);
    let hi = 0;
    let frame = 0;
    if (pa !== undefined) {
      hi = PM_PRESENT / 2 ** 32;
      frame = showFrames ? Math.floor(pa / PAGE) : 0;
    }
    if (pa !== undefined && (mem.shared.has(r.mo) || mappedFile(r.mo))) hi += PM_FILE / 2 ** 32;
    v.setUint32(i * 8, frame % 2 ** 32, true);
    v.setUint32(i * 8 + 4, hi + Math.floor(frame / 2 ** 32), true);
  }
  return out;
}

/** read() of pagemap at byte pos: whole entries, none past the user half; the frames only for root. */
export function pagemapRead(p: LinuxProcess, pos: number, max: number): Uint8Array | number {
  if (pos % 8 !== 0 || max % 8 !== 0) return -EINVAL;
  if (p.isZombie) return new Uint8Array(0);
  const top = p.mem.vs.addressRange.userTop / PAGE;
  const first = pos / 8;
  const count = Math.max(0, Math.min(Math.floor(max / 8), top - first, 1 << 16));
  return pagemapEntries(p.mem, first, count, p.creds.capable(CAP_SYS_ADMIN));
}
