// salty compare's runner: one program on one backend, with its output captured
// and the kernel's figures collected at exit, and frames in use per PMM owner
// sampled at a fixed instruction interval over the run.

import { parseElfImage } from '../../loader/elf-image';
import type { ArchName } from '../../kernel/arch/arch';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { FRAME_OWNERS, type FrameOwner } from '../../kernel/mm/frame-owner';
import type { OwnerCounts } from '../../kernel/mm/pmm';
import { collectStats } from '../../kernel/mm/stats-report';

export interface CompareRunOptions {
  readonly args: readonly string[];
  readonly argv0: string;
  readonly env: readonly string[];
  readonly memoryBytes: number;
  /** Host directory the guest sees as / (default /). */
  readonly root?: string;
  /** The guest's working directory (default: the host's, when the root has it). */
  readonly cwd?: string;
  readonly instructionLimit?: number;
  /** Instructions between two samples of frames in use (the first interval; it doubles when samples pile up). */
  readonly sampleEvery: number;
}

/** Frames in use per owner ('free' left out) after `insns` instructions. */
export interface FrameSample {
  readonly insns: number;
  readonly frames: Partial<Record<FrameOwner, number>>;
}

export interface BackendRun {
  readonly arch: ArchName;
  readonly file: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
  readonly instructions: number;
  readonly seconds: number;
  readonly mips: number;
  readonly syscalls: number;
  readonly framesAtExit: OwnerCounts;
  /** The most frames each owner held at once; for 'free', the fewest free frames. */
  readonly framesAtPeak: OwnerCounts;
  readonly tableFramesAtPeak: number;
  readonly entriesWritten: { readonly upper: number; readonly leaves: number };
  readonly faults: { readonly demand: number; readonly cow: number; readonly accessFlag: number; readonly spurious: number; readonly unresolved: number };
  readonly cow: { readonly copies: number; readonly handovers: number };
  readonly tlb: { readonly page: number; readonly asid: number; readonly all: number };
  readonly asids: { readonly assigned: number; readonly highest: number };
  readonly fork: { readonly count: number; readonly entries: number; readonly ms: number };
  readonly samples: { readonly every: number; readonly points: readonly FrameSample[] };
}

/** At most this many samples are kept: past it the interval doubles and every other sample goes. */
export const MAX_SAMPLES = 64;
/** AT_RANDOM for both runs: the same bytes, so a program that uses them behaves the same on both. */
const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

export function runBackend(file: string, bytes: Uint8Array, o: CompareRunOptions): BackendRun {
  const image = parseElfImage(bytes, { fileName: file });
  const kernel = new HostedKernel(o.memoryBytes, { arch: image.machine });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sampler = new FrameSampler(o.sampleEvery, () => kernel.mm.pmm.stats());
  const system = new LinuxSystem(kernel, {
    strace: false,
    io: { writeOut: (d) => out.push(Buffer.from(d)), writeErr: (d) => err.push(Buffer.from(d)), readIn: () => new Uint8Array(0), isTty: () => false },
    root: o.root ?? '/',
    instructionLimit: o.instructionLimit,
    onUserReturn: (retired) => sampler.at(retired),
  });
  const proc = system.spawn({ exe: { path: file, bytes }, execfn: o.argv0, image, argv: [o.argv0, ...o.args], envp: o.env, random: RANDOM });
  const cwd = o.cwd ?? process.cwd();
  if (system.fs.lstat(cwd)?.kind === 'dir') proc.cwd = cwd;
  const started = process.hrtime.bigint();
  const status = system.run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const exit = proc.exit!;
  if (exit.kind === 'signaled') err.push(Buffer.from(`salty: ${o.argv0}: ${exit.message}\n`));
  const s = collectStats(kernel.mm);
  const c = s.counters;
  const retired = kernel.retired;
  sampler.final(retired);
  return {
    arch: image.machine,
    file,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    status,
    instructions: retired,
    seconds,
    mips: seconds > 0 ? retired / seconds / 1e6 : 0,
    syscalls: system.syscallCount,
    framesAtExit: s.frames,
    framesAtPeak: s.peakFrames,
    tableFramesAtPeak: s.peakFrames['page-table'],
    entriesWritten: s.entryWrites,
    faults: { demand: c.faultsDemand, cow: c.faultsCow, accessFlag: c.faultsAccessFlag, spurious: c.faultsSpurious, unresolved: c.faultsUnresolved },
    cow: { copies: c.cowCopies, handovers: c.cowHandovers },
    tlb: { page: c.tlbPage, asid: c.tlbAsid, all: c.tlbAll },
    asids: { assigned: s.asids.assigned, highest: s.asids.highest },
    fork: { count: c.forks, entries: c.forkEntries, ms: c.forkMs },
    samples: { every: sampler.every, points: sampler.points },
  };
}

/**
 * Frames change only while the kernel runs, so the counts read when the CPU
 * comes back from user mode are those at every instruction mark the slice crossed.
 */
export class FrameSampler {
  readonly points: FrameSample[] = [];
  private next: number;

  constructor(
    public every: number,
    private readonly read: () => OwnerCounts,
  ) {
    this.next = 0;
  }

  at(retired: number): void {
    if (retired < this.next) return;
    const frames = inUse(this.read());
    while (this.next <= retired) {
      this.points.push({ insns: this.next, frames });
      this.next += this.every;
      if (this.points.length > MAX_SAMPLES) this.thin();
    }
  }

  /** The counts at exit, as one more point when the run ended between two marks. */
  final(retired: number): void {
    this.at(retired);
    const last = this.points[this.points.length - 1];
    if (!last || last.insns < retired) this.points.push({ insns: retired, frames: inUse(this.read()) });
  }

  private thin(): void {
    this.every *= 2;
    const kept = this.points.filter((p) => p.insns % this.every === 0);
    this.points.length = 0;
    this.points.push(...kept);
    this.next = kept[kept.length - 1].insns + this.every;
  }
}

function inUse(counts: OwnerCounts): Partial<Record<FrameOwner, number>> {
  const out: Partial<Record<FrameOwner, number>> = {};
  for (const o of FRAME_OWNERS) if (o !== 'free' && counts[o] > 0) out[o] = counts[o];
  return out;
}

/** Where two runs' behaviour first differs (stdout, then stderr, then exit status), or null when it does not. */
export function firstDifference(a: BackendRun, b: BackendRun): string | null {
  for (const stream of ['stdout', 'stderr'] as const) {
    const d = textDifference(a[stream], b[stream]);
    if (d !== null) return `${stream} differs ${d}: ${a.arch} ${quote(a[stream], d)} vs ${b.arch} ${quote(b[stream], d)}`;
  }
  if (a.status !== b.status) return `exit status differs: ${a.arch} ${a.status} vs ${b.arch} ${b.status}`;
  return null;
}

function textDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `at character ${i} (line ${line})`;
}

function quote(s: string, where: string): string {
  const at = Number(/character (\d+)/.exec(where)![1]);
  const piece = s.slice(at, at + 24);
  return piece.length === 0 ? '(end of output)' : JSON.stringify(piece + (s.length > at + 24 ? '…' : ''));
}
