// A new process's address space, built from a ProgramImage (and, for a
// dynamically linked program, its interpreter's): the ELF's pages as
// MemoryObjects filled from the file on first touch, a stack MemoryObject
// with the initial stack written in, and the brk heap above the program.

import { elfEtDynBase, imageAlignment, imageExtent, withLoadBase } from '../../loader/elf-image';
import { buildInitialStack } from '../../loader/initial-stack';
import { auxvForImage, platformString } from '../../loader/image-auxv';
import type { LoadSegment, ProgramImage } from '../../loader/program-image';
import { PAGE_SIZE } from '../arch/arch';
import type { MemoryManager } from '../mm/memory-manager';
import type { Perms, RegionKind } from '../mm/region';
import type { VSpace } from '../mm/vspace';
import { ExecError, InitialStackTooLarge } from './exec-error';
import { setMappedFile } from './mapped-file';

/** Top of the user stack by default (Linux puts it just under 2^48 on a 48-bit arm64 task). */
export const STACK_TOP = 0x0000_ffff_ffff_0000;
export const STACK_SIZE = 8 * 1024 * 1024;
/** Where anonymous mmap()s start, downwards, below a stack whose top is stackTop (and that may grow to stackSize). */
export function mmapTopBelow(stackTop: number, stackSize = STACK_SIZE): number {
  return stackTop - Math.max(stackSize, STACK_SIZE) - 0x1000_0000;
}
/** Anonymous mmap()s are placed downwards from here (default stack). */
export const MMAP_TOP = mmapTopBelow(STACK_TOP);

const ENOMEM = 12;

export interface LoadedProgram {
  readonly entry: number;
  readonly sp: number;
  /** First byte after the program's image: where brk starts. */
  readonly brkStart: number;
  /** Where anonymous mmap()s start, downwards: below the stack's gap and any image placed top-down. */
  readonly mmapTop: number;
  /** Where the program and its interpreter were placed (the interpreter's is AT_BASE; 0 without one). */
  readonly programBase: number;
  readonly interpreterBase: number;
  /** Where the vDSO was mapped; 0 without one. */
  readonly vdsoBase: number;
  /** The auxiliary vector's bytes as written on the stack, AT_NULL last (/proc/<pid>/auxv). */
  readonly auxv: Uint8Array;
}

/** An image to map, with the file it came from (for /proc/<pid>/maps). */
export interface ExecFile {
  readonly image: ProgramImage;
  readonly path: string;
  readonly ino: number;
}

/** Finds room for len bytes below everything mapped so far, as mmap(NULL, ...) does; -1 when there is none. */
export type FindFree = (len: number) => number;

/** Top-down placement from top, around what vs already maps; top() is where the next mmap would start. */
function topDown(vs: VSpace, start: number): { find: FindFree; top: () => number } {
  let top = start;
  const find = (len: number): number => {
    let end = top;
    for (;;) {
      const at = end - pageUp(len);
      const clash = vs.regions.find((r) => r.start < end && at < r.end);
      if (!clash) return (top = at);
      end = clash.start;
      if (end < 0x1000_0000) return -1;
    }
  };
  return { find, top: () => top };
}

const pageDown = (a: number): number => a - (a % PAGE_SIZE);
const pageUp = (a: number): number => pageDown(a + PAGE_SIZE - 1);

/**
 * Where Linux (6.1, randomisation off) places each image: a PIE with an
 * interpreter at ELF_ET_DYN_BASE aligned down to its segments' alignment; an
 * interpreter, or an ET_DYN run directly (ld.so itself, a static-pie), where
 * mmap(NULL) would put it: top-down below what is mapped. ET_EXEC stays put.
 */
export function placeImage(image: ProgramImage, hasInterpreter: boolean, findFree: FindFree): ProgramImage {
  if (image.type !== 'pie') return image;
  const extent = imageExtent(image);
  const fileLow = extent.low - image.loadBase;
  let start: number;
  if (hasInterpreter) {
    const align = imageAlignment(image);
    const base = elfEtDynBase(image.machine);
    start = base - (base % align);
  } else {
    start = findFree(extent.high - extent.low);
    if (start < 0) throw new ExecError(image.fileName, 'no room in the address space for the image', ENOMEM);
  }
  return withLoadBase(image, start - fileLow);
}

/**
 * Linux refuses (ENOMEM from its overcommit check) an image whose segments
 * need more memory than the machine has; so does this kernel, at once,
 * rather than walk terabytes of pages.
 */
export function checkImageFits(image: ProgramImage, ramBytes: number): void {
  const need = image.segments.reduce((sum, s) => sum + pageUp(s.vaddr + s.memsz) - pageDown(s.vaddr), 0);
  if (need > ramBytes) {
    throw new ExecError(image.fileName, `its PT_LOAD segments need ${sizeText(need)} of memory, more than the guest RAM of ${sizeText(ramBytes)} (-m)`, ENOMEM);
  }
}

function sizeText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/** One page of the image: its permissions, and whether it holds file bytes (vaddr - offset then) or only zeros. */
interface PagePlan {
  perms: Perms;
  delta: number | null;
}

function planPages(image: ProgramImage): Map<number, PagePlan> {
  const pages = new Map<number, PagePlan>();
  for (const s of image.segments) {
    const fileEnd = s.vaddr + s.filesz;
    for (let va = pageDown(s.vaddr); va < s.vaddr + s.memsz; va += PAGE_SIZE) {
      const p = pages.get(va);
      const f = s.flags;
      const delta = va < fileEnd ? s.vaddr - s.fileOffset : null;
      pages.set(va, {
        perms: { read: (p?.perms.read ?? false) || f.read, write: (p?.perms.write ?? false) || f.write, exec: (p?.perms.exec ?? false) || f.execute },
        delta: p?.delta ?? delta,
      });
    }
  }
  return pages;
}

function samePlan(a: PagePlan, b: PagePlan): boolean {
  return a.perms.read === b.perms.read && a.perms.write === b.perms.write && a.perms.exec === b.perms.exec && a.delta === b.delta;
}

/**
 * Maps the image's pages. Segments may share a page (the end of one and the
 * start of the next): each page gets the union of the permissions and the
 * bytes of every segment that covers it. Runs of pages alike (permissions,
 * and the same file offset or none) become one region backed by one
 * MemoryObject, named after the file where it holds file bytes, as Linux
 * maps a segment's file pages and then its zero-filled rest. Returns the end
 * of the image.
 */
export function mapImage(mm: MemoryManager, vs: VSpace, image: ProgramImage, file?: { path: string; ino: number }): number {
  const pages = planPages(image);
  const addresses = [...pages.keys()].sort((a, b) => a - b);
  let i = 0;
  while (i < addresses.length) {
    const start = addresses[i];
    const plan = pages.get(start)!;
    let end = start + PAGE_SIZE;
    while (i + 1 < addresses.length && addresses[i + 1] === end && samePlan(pages.get(end)!, plan)) {
      end += PAGE_SIZE;
      i++;
    }
    i++;
    const covering = image.segments.filter((s) => s.vaddr < end && s.vaddr + s.memsz > start);
    const mo = mm.createMemoryObject((end - start) / PAGE_SIZE, (pageIndex, page) => fillPage(covering, start + pageIndex * PAGE_SIZE, page));
    if (file && plan.delta !== null) setMappedFile(mo, { path: file.path, ino: file.ino, offset: start - plan.delta });
    const kind: RegionKind = plan.perms.exec ? 'text' : plan.delta === null ? 'bss' : 'data';
    vs.map(start, end - start, mo, 0, plan.perms, kind);
  }
  const top = Math.max(...image.segments.map((s) => s.vaddr + s.memsz));
  return pageUp(top);
}

/** Copies the file bytes of every segment that overlaps the page at pageVa. */
function fillPage(segments: readonly LoadSegment[], pageVa: number, page: Uint8Array): void {
  for (const s of segments) {
    const from = Math.max(s.vaddr, pageVa);
    const to = Math.min(s.vaddr + s.filesz, pageVa + PAGE_SIZE);
    if (from < to) page.set(s.data.subarray(from - s.vaddr, to - s.vaddr), from - pageVa);
  }
}

export interface StartInfo {
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly execfn: string;
  readonly random: Uint8Array;
  /** AT_HWCAP as the machine's CPU reports it (default: the loader's baseline for the image's machine). */
  readonly hwcap?: number;
  /** One past the stack's top (default STACK_TOP). */
  readonly stackTop?: number;
  /** How far the stack may grow (RLIMIT_STACK; default STACK_SIZE): its mapping's size. */
  readonly stackSize?: number;
  /** A vDSO image to map (placed top-down like an mmap, below the images) and announce in AT_SYSINFO_EHDR. */
  readonly vdso?: Uint8Array;
}

/**
 * Maps the program (placed as Linux places it), its interpreter when it has
 * one, and a stack holding argv, envp and auxv; returns where to start: the
 * interpreter's entry with AT_BASE, AT_PHDR, AT_ENTRY set for it, or the
 * program's own entry.
 */
export function loadProgram(mm: MemoryManager, vs: VSpace, program: ExecFile, interpreter: ExecFile | null, start: StartInfo): LoadedProgram {
  const ram = mm.pmm.frameCount * PAGE_SIZE;
  checkImageFits(program.image, ram);
  if (interpreter) checkImageFits(interpreter.image, ram);
  const stackTop = start.stackTop ?? STACK_TOP;
  const stackSize = start.stackSize ?? STACK_SIZE;
  const below = topDown(vs, mmapTopBelow(stackTop, stackSize));
  const main = placeImage(program.image, interpreter !== null, below.find);
  const brkStart = mapImage(mm, vs, main, program);
  const interp = interpreter ? placeImage(interpreter.image, false, below.find) : null;
  if (interp) mapImage(mm, vs, interp, interpreter!);
  const vdsoBase = start.vdso ? mapVdso(mm, vs, start.vdso, below.find) : 0;
  const stackMo = mm.createMemoryObject(stackSize / PAGE_SIZE);
  const stackBase = stackTop - stackSize;
  vs.map(stackBase, stackSize, stackMo, 0, { read: true, write: true, exec: false }, 'stack');
  const stack = buildInitialStack({
    stackTop,
    argv: start.argv,
    envp: start.envp,
    execfn: start.execfn,
    platform: platformString(main.machine),
    auxv: { ...auxvForImage(main), base: interp ? interp.loadBase : 0, ...(start.hwcap === undefined ? {} : { hwcap: start.hwcap }), ...(vdsoBase ? { sysinfoEhdr: vdsoBase } : {}) },
    random: start.random,
  });
  if (stack.bytes.length > stackSize) throw new InitialStackTooLarge(program.image.fileName, `its arguments, environment and auxiliary vector (${stack.bytes.length} bytes) do not fit in the stack (RLIMIT_STACK)`, ENOMEM);
  stackMo.write(stack.sp - stackBase, stack.bytes);
  const entry = interp ? interp.entry : main.entry;
  return { entry, sp: stack.sp, brkStart, mmapTop: below.top(), programBase: main.loadBase, interpreterBase: interp ? interp.loadBase : 0, vdsoBase, auxv: stack.bytes.slice(stack.auxvAddress - stack.sp, stack.auxvAddress - stack.sp + stack.auxv.length * 16) };
}

/**
 * Maps the vDSO read+execute where the next mmap(NULL) would go, as Linux
 * places it when its hint (the stack) is taken and layout randomization is
 * off: just below the program's interpreter, or below a PIE program.
 */
function mapVdso(mm: MemoryManager, vs: VSpace, image: Uint8Array, find: FindFree): number {
  const pages = Math.ceil(image.length / PAGE_SIZE);
  const at = find(pages * PAGE_SIZE);
  if (at < 0) throw new ExecError('[vdso]', 'no room in the address space for the vDSO', ENOMEM);
  const mo = mm.createMemoryObject(pages, (page, bytes) => bytes.set(image.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)));
  vs.map(at, pages * PAGE_SIZE, mo, 0, { read: true, write: false, exec: true }, 'text');
  return at;
}
