// A new process's address space, built from a ProgramImage: the ELF's pages as
// MemoryObjects filled from the file on first touch, a stack MemoryObject with
// the initial stack written in, and the brk heap above the image.

import { buildInitialStack } from '../../loader/initial-stack';
import { auxvForImage, platformString } from '../../loader/image-auxv';
import type { LoadSegment, ProgramImage } from '../../loader/program-image';
import { PAGE_SIZE } from '../arch/arch';
import type { MemoryManager } from '../mm/memory-manager';
import type { Perms, RegionKind } from '../mm/region';
import type { VSpace } from '../mm/vspace';

/** Top of the user stack by default (Linux puts it just under 2^48 on a 48-bit arm64 task). */
export const STACK_TOP = 0x0000_ffff_ffff_0000;
export const STACK_SIZE = 8 * 1024 * 1024;
/** Where anonymous mmap()s start, downwards, below a stack whose top is stackTop. */
export function mmapTopBelow(stackTop: number): number {
  return stackTop - STACK_SIZE - 0x1000_0000;
}
/** Anonymous mmap()s are placed downwards from here (default stack). */
export const MMAP_TOP = mmapTopBelow(STACK_TOP);

export interface LoadedProgram {
  readonly entry: number;
  readonly sp: number;
  /** First byte after the image: where brk starts. */
  readonly brkStart: number;
  /** Where anonymous mmap()s start, downwards. */
  readonly mmapTop: number;
}

const pageDown = (a: number): number => a - (a % PAGE_SIZE);
const pageUp = (a: number): number => pageDown(a + PAGE_SIZE - 1);

/**
 * Maps the image's pages. Segments may share a page (the end of one and the
 * start of the next): each page gets the union of the permissions and the
 * bytes of every segment that covers it; runs of pages with equal permissions
 * become one region backed by one MemoryObject.
 */
export function mapImage(mm: MemoryManager, vs: VSpace, image: ProgramImage): number {
  const pages = new Map<number, Perms>();
  for (const s of image.segments) {
    for (let va = pageDown(s.vaddr); va < s.vaddr + s.memsz; va += PAGE_SIZE) {
      const p = pages.get(va);
      const f = s.flags;
      pages.set(va, { read: (p?.read ?? false) || f.read, write: (p?.write ?? false) || f.write, exec: (p?.exec ?? false) || f.execute });
    }
  }
  const addresses = [...pages.keys()].sort((a, b) => a - b);
  let i = 0;
  while (i < addresses.length) {
    const start = addresses[i];
    const perms = pages.get(start)!;
    let end = start + PAGE_SIZE;
    while (i + 1 < addresses.length && addresses[i + 1] === end && samePerms(pages.get(end)!, perms)) {
      end += PAGE_SIZE;
      i++;
    }
    i++;
    const covering = image.segments.filter((s) => s.vaddr < end && s.vaddr + s.memsz > start);
    const mo = mm.createMemoryObject((end - start) / PAGE_SIZE, (pageIndex, page) => fillPage(covering, start + pageIndex * PAGE_SIZE, page));
    const kind: RegionKind = perms.exec ? 'text' : perms.write ? 'data' : 'data';
    vs.map(start, end - start, mo, 0, perms, kind);
  }
  const top = Math.max(...image.segments.map((s) => s.vaddr + s.memsz));
  return pageUp(top);
}

function samePerms(a: Perms, b: Perms): boolean {
  return a.read === b.read && a.write === b.write && a.exec === b.exec;
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
}

/** Maps the image and a stack holding argv, envp and auxv; returns where to start. */
export function loadProgram(mm: MemoryManager, vs: VSpace, image: ProgramImage, start: StartInfo): LoadedProgram {
  const brkStart = mapImage(mm, vs, image);
  const stackTop = start.stackTop ?? STACK_TOP;
  const stackMo = mm.createMemoryObject(STACK_SIZE / PAGE_SIZE);
  const stackBase = stackTop - STACK_SIZE;
  vs.map(stackBase, STACK_SIZE, stackMo, 0, { read: true, write: true, exec: false }, 'stack');
  const stack = buildInitialStack({
    stackTop,
    argv: start.argv,
    envp: start.envp,
    execfn: start.execfn,
    platform: platformString(image.machine),
    auxv: start.hwcap === undefined ? auxvForImage(image) : { ...auxvForImage(image), hwcap: start.hwcap },
    random: start.random,
  });
  stackMo.write(stack.sp - stackBase, stack.bytes);
  return { entry: image.entry, sp: stack.sp, brkStart, mmapTop: mmapTopBelow(stackTop) };
}
