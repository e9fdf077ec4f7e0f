// A native (SaltyOS) process as `salty run` starts one from an ELF carrying
// the SaltyOS note (loader/native-note.ts). Interface for other code:
//
//   createNativeProcess(kernel, image, opts) -> NativeProcess
//     .cspace      its capability space (slots in boot-info.ts's InitialSlot)
//     .vs          its VSpace; .untyped the Untyped handed to it (slot 1)
//     .bootUntyped the kernel-held untyped its initial objects are carved from
//     .threads     its threads (one at start); .exit once it ended
//     .user        UserAccess over its VSpace (debug write, statistics)
//     .destroy()   every capability goes, then the boot untyped: all frames back
//
// Everything the process holds comes from untypeds: its segments' and stack's
// MemoryObjects, the boot-info page and its VSpace's tables from the boot
// untyped (sized to the image), and what it makes itself from its own Untyped.

import type { LoadSegment, ProgramImage } from '../../loader/program-image';
import { PAGE_SIZE } from '../arch/arch';
import { nativeArchAbi } from '../arch/native-abi';
import type { Capability } from '../cap/capability';
import type { CSpace } from '../cap/cspace';
import { kernelCspace, KernelObject, memoryObjectFrom, untypedObject, type DebugConsole } from '../cap/kernel-objects';
import { RIGHT_EXECUTE, RIGHT_MAP, RIGHT_READ, RIGHT_WRITE, ALL_RIGHTS } from '../cap/rights';
import type { HostedKernel } from '../hosted-kernel';
import type { MemoryManager } from '../mm/memory-manager';
import type { MemoryObject } from '../mm/memory-object';
import { OutOfFrames } from '../mm/pmm';
import type { Perms } from '../mm/region';
import type { Untyped } from '../mm/untyped';
import type { VSpace } from '../mm/vspace';
import { BOOT_INFO_VA, encodeBootInfo, InitialSlot, MAX_SEGMENTS, type BootInfoSegment } from './boot-info';
import type { NativeContext, UserAccess } from './native-context';
import { NativeUserAccess } from './native-user-access';
import type { NativeThread } from './native-thread';
import { PERM_EXEC, PERM_READ, PERM_WRITE } from './native-labels';

export const STACK_PAGES = 16;

/** The image cannot be a native process (too many segments, segments sharing a page). */
export class NativeLoadError extends Error {}
/** Translation tables the boot untyped keeps for what the process maps later into its own VSpace. */
const SPARE_TABLES = 64;
const MAX_UNTYPED_BITS = 32;

export type NativeExit = { readonly kind: 'exited'; readonly status: number } | { readonly kind: 'killed'; readonly signal: number; readonly message: string };


export interface NativeProcessOptions {
  readonly pid: number;
  readonly name: string;
  /** Size of the process's Untyped as a power of two; default: the largest block the PMM has. */
  readonly untypedBits?: number;
  readonly console: DebugConsole;
  /** A new thread of this process (kernel/native/native-scheduler.ts), its exit wired to the run loop. */
  readonly newThread: () => NativeThread;
}

export class NativeProcess implements NativeContext {
  readonly threads: NativeThread[] = [];
  exit: NativeExit | undefined;
  readonly user: UserAccess;
  /** Invocations its threads made. */
  invocations = 0;
  /** The thread whose invocation is running (labels that block or reply need the caller). */
  current: NativeThread | undefined;

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly mm: MemoryManager,
    readonly cspace: CSpace,
    readonly vs: VSpace,
    readonly untyped: Untyped,
    readonly bootUntyped: Untyped,
    kernel: HostedKernel,
  ) {
    this.user = new NativeUserAccess(mm, vs, kernel.phys);
  }

  destroy(): void {
    this.cspace.clear();
    this.mm.destroyUntyped(this.bootUntyped);
  }
}

const pageDown = (a: number): number => a - (a % PAGE_SIZE);
const pageUp = (a: number): number => pageDown(a + PAGE_SIZE - 1);

function permBits(s: LoadSegment): number {
  return (s.flags.read ? PERM_READ : 0) | (s.flags.write ? PERM_WRITE : 0) | (s.flags.execute ? PERM_EXEC : 0);
}

function permsOf(bits: number): Perms {
  return { read: (bits & PERM_READ) !== 0, write: (bits & PERM_WRITE) !== 0, exec: (bits & PERM_EXEC) !== 0 };
}

function rightsOf(bits: number): number {
  return RIGHT_MAP | RIGHT_READ | (bits & PERM_WRITE ? RIGHT_WRITE : 0) | (bits & PERM_EXEC ? RIGHT_EXECUTE : 0);
}

/** Bytes of the boot untyped: every page, radix node and table the initial objects may need, and headers. */
function bootUntypedBits(image: ProgramImage): number {
  let frames = STACK_PAGES + 1 + SPARE_TABLES + 4;
  for (const s of image.segments) {
    const pages = (pageUp(s.vaddr + s.memsz) - pageDown(s.vaddr)) / PAGE_SIZE;
    frames += pages + 4 * Math.ceil(pages / 512) + 3;
  }
  frames += 4 * 4;
  return Math.max(16, Math.ceil(Math.log2(frames * PAGE_SIZE)));
}

/** The largest untyped the PMM can give now, at most 2^max bytes. */
function largestUntyped(mm: MemoryManager, max: number): Untyped {
  for (let bits = Math.min(max, Math.floor(Math.log2(mm.pmm.freeFrames * PAGE_SIZE))); bits >= 12; bits--) {
    try {
      return mm.createUntyped(bits);
    } catch (e) {
      if (!(e instanceof OutOfFrames)) throw e;
    }
  }
  throw new OutOfFrames(1, 'untyped-reserved');
}

/** A MemoryObject carved from the boot untyped, its capability an original in slot. */
function initialObject(cs: CSpace, mm: MemoryManager, boot: Untyped, slot: number, pages: number, rights: number, fill?: (page: number, bytes: Uint8Array) => void): { mo: MemoryObject; cap: Capability } {
  const obj = memoryObjectFrom(mm, boot, () => mm.createMemoryObject(pages, fill ?? null, mm.untypedFrames(boot)));
  const cap = cs.insertOriginal(slot, obj, rights);
  return { mo: (obj.body as { mo: MemoryObject }).mo, cap };
}

/** A segment's pager: file bytes then zeros, relative to its first page. */
function segmentPager(s: LoadSegment): (page: number, bytes: Uint8Array) => void {
  const start = pageDown(s.vaddr);
  return (page, bytes) => {
    const from = start + page * PAGE_SIZE;
    const lo = Math.max(from, s.vaddr);
    const hi = Math.min(from + PAGE_SIZE, s.vaddr + s.filesz);
    if (hi > lo) bytes.set(s.data.subarray(lo - s.vaddr, hi - s.vaddr), lo - from);
  };
}

export function createNativeProcess(kernel: HostedKernel, image: ProgramImage, opts: NativeProcessOptions): NativeProcess {
  const mm = kernel.mm;
  if (image.segments.length > MAX_SEGMENTS) throw new NativeLoadError(`${image.segments.length} segments, a native process takes at most ${MAX_SEGMENTS}`);
  const boot = mm.createUntyped(bootUntypedBits(image));
  let untyped: Untyped;
  try {
    untyped = largestUntyped(mm, opts.untypedBits ?? MAX_UNTYPED_BITS);
  } catch (e) {
    mm.destroyUntyped(boot);
    throw e;
  }
  const self = kernelCspace();
  const cs = (self.body as { cspace: CSpace }).cspace;
  cs.insertOriginal(InitialSlot.cspace, self);
  cs.insertOriginal(InitialSlot.untyped, untypedObject(mm, untyped));
  const vs = mm.createVSpace(boot);
  cs.insertOriginal(InitialSlot.vspace, new KernelObject({ kind: 'vspace', vs }, () => mm.destroyVSpace(vs)));
  cs.insertOriginal(InitialSlot.debug, new KernelObject({ kind: 'debug', console: opts.console }, () => {}), RIGHT_WRITE);
  const proc = new NativeProcess(opts.pid, opts.name, mm, cs, vs, untyped, boot, kernel);
  try {
    populate(kernel, proc, image, opts);
  } catch (e) {
    // Nothing of a process that cannot start stays behind.
    proc.destroy();
    throw e;
  }
  return proc;
}

/** Segments, stack, boot-info page and the first thread of a new process. */
function populate(kernel: HostedKernel, proc: NativeProcess, image: ProgramImage, opts: NativeProcessOptions): void {
  const { mm, cspace: cs, vs, untyped, bootUntyped: boot } = proc;
  const segments = mapSegments(proc, image, boot);
  const stackTop = kernel.machine.userStackTop;
  const stackBase = stackTop - STACK_PAGES * PAGE_SIZE;
  const stack = initialObject(cs, mm, boot, InitialSlot.stack, STACK_PAGES, ALL_RIGHTS);
  vs.map(stackBase, STACK_PAGES * PAGE_SIZE, stack.mo, 0, permsOf(PERM_READ | PERM_WRITE), 'stack', permsOf(PERM_READ | PERM_WRITE));
  const info = mm.createMemoryObject(1, null, mm.untypedFrames(boot));
  const firstFree = InitialSlot.firstSegment + segments.length;
  info.write(0, encodeBootInfo({ cspaceSlots: cs.slotCount, firstFree, untypeds: [{ slot: InitialSlot.untyped, sizeBits: untyped.sizeBits }], segments, stackBase, stackPages: STACK_PAGES }));
  vs.map(BOOT_INFO_VA, PAGE_SIZE, info, 0, permsOf(PERM_READ), 'data', permsOf(PERM_READ));
  // The boot-info page has no capability: its frames are the boot untyped's, so the teardown's revoke of that takes it.
  const thread = addThread(proc, image.entry, stackTop, opts);
  cs.insertOriginal(InitialSlot.thread, new KernelObject({ kind: 'thread', thread }, () => {}));
}

function mapSegments(proc: NativeProcess, image: ProgramImage, boot: Untyped): BootInfoSegment[] {
  const out: BootInfoSegment[] = [];
  image.segments.forEach((s, i) => {
    const va = pageDown(s.vaddr);
    const pages = (pageUp(s.vaddr + s.memsz) - va) / PAGE_SIZE;
    if (proc.vs.overlaps(va, va + pages * PAGE_SIZE)) throw new NativeLoadError(`segment ${i} shares a page with another: a native program's segments must not (link with -z max-page-size=4096)`);
    const bits = permBits(s);
    const slot = InitialSlot.firstSegment + i;
    const { mo } = initialObject(proc.cspace, proc.mm, boot, slot, pages, rightsOf(bits), segmentPager(s));
    proc.vs.map(va, pages * PAGE_SIZE, mo, 0, permsOf(bits), s.flags.execute ? 'text' : 'data', permsOf(bits));
    out.push({ slot, va, pages, perms: bits });
  });
  return out;
}

function addThread(proc: NativeProcess, entry: number, sp: number, opts: NativeProcessOptions): NativeThread {
  const t = opts.newThread();
  // The boot info's address is the entry's first argument (n0).
  nativeArchAbi(t.ctx.arch).enter(t.ctx, entry, sp, BOOT_INFO_VA, 0);
  t.cspaceOf = { value: proc.cspace, isDead: false };
  t.vspaceOf = { value: proc.vs, isDead: false };
  proc.threads.push(t);
  return t;
}
