// The figures salty compare puts side by side: one list, read by the text
// table, the JSON report and the HTML page alike, so the three always agree.

import { FRAME_OWNERS, OWNER_LABEL } from '../../kernel/mm/frame-owner';
import { firstDifference, type BackendRun } from './compare-run';

export interface Figure {
  /** Stable name for scripts, e.g. "faults.demand". */
  readonly key: string;
  readonly label: string;
  /** Chart group: figures of one group share a bar chart. */
  readonly group: string;
  readonly aarch64: number;
  readonly x86_64: number;
  /** x86_64 / aarch64; null when aarch64's figure is 0. */
  readonly ratio: number | null;
  /** Varies from run to run (host time): not part of the behaviour, never compared by tests. */
  readonly timing?: boolean;
}

export interface WorkloadReport {
  readonly name: string;
  readonly args: readonly string[];
  readonly same: boolean;
  readonly firstDifference: string | null;
  readonly figures: readonly Figure[];
  readonly aarch64: BackendRun;
  readonly x86_64: BackendRun;
}

export interface CompareReport {
  readonly tool: 'salty compare';
  readonly version: string;
  readonly memoryBytes: number;
  readonly workloads: readonly WorkloadReport[];
}

type Getter = (r: BackendRun) => number;
interface FigureDef {
  readonly key: string;
  readonly label: string;
  readonly group: string;
  readonly get: Getter;
  readonly timing?: boolean;
  /** Shown only when either backend's figure is not 0. */
  readonly optional?: boolean;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

function definitions(): FigureDef[] {
  const defs: FigureDef[] = [
    { key: 'instructions', label: 'instructions retired', group: 'CPU', get: (r) => r.instructions },
    { key: 'mips', label: 'MIPS', group: 'speed', get: (r) => round3(r.mips), timing: true },
    { key: 'wall-ms', label: 'wall time (ms)', group: 'speed', get: (r) => round3(r.seconds * 1000), timing: true },
    { key: 'syscalls', label: 'syscalls', group: 'CPU', get: (r) => r.syscalls },
  ];
  for (const when of ['exit', 'peak'] as const) {
    for (const o of FRAME_OWNERS) {
      const label = o === 'free' && when === 'peak' ? 'free (fewest)' : OWNER_LABEL[o];
      const get: Getter = when === 'exit' ? (r) => r.framesAtExit[o] : (r) => r.framesAtPeak[o];
      defs.push({ key: `frames.${when}.${o}`, label: `frames at ${when}: ${label}`, group: `frames at ${when}`, get, optional: true });
    }
  }
  defs.push(
    { key: 'tables.peak', label: 'page-table frames at peak', group: 'tables', get: (r) => r.tableFramesAtPeak },
    { key: 'entries.upper', label: 'table entries written: upper levels', group: 'tables', get: (r) => r.entriesWritten.upper },
    { key: 'entries.leaves', label: 'table entries written: leaves', group: 'tables', get: (r) => r.entriesWritten.leaves },
    { key: 'faults.demand', label: 'faults: demand', group: 'faults', get: (r) => r.faults.demand },
    { key: 'faults.cow', label: 'faults: copy-on-write', group: 'faults', get: (r) => r.faults.cow },
    { key: 'faults.access-flag', label: 'faults: access flag', group: 'faults', get: (r) => r.faults.accessFlag },
    { key: 'faults.spurious', label: 'faults: spurious', group: 'faults', get: (r) => r.faults.spurious },
    { key: 'faults.unresolved', label: 'faults: unresolved', group: 'faults', get: (r) => r.faults.unresolved },
    { key: 'cow.copies', label: 'COW copies', group: 'copy-on-write', get: (r) => r.cow.copies },
    { key: 'cow.handovers', label: 'COW hand-overs', group: 'copy-on-write', get: (r) => r.cow.handovers },
    { key: 'tlb.page', label: 'TLB invalidations: page', group: 'TLB', get: (r) => r.tlb.page },
    { key: 'tlb.asid', label: 'TLB invalidations: ASID/PCID', group: 'TLB', get: (r) => r.tlb.asid },
    { key: 'tlb.all', label: 'TLB invalidations: all', group: 'TLB', get: (r) => r.tlb.all },
    { key: 'asids.assigned', label: 'ASIDs/PCIDs assigned', group: 'ASIDs', get: (r) => r.asids.assigned },
    { key: 'asids.highest', label: 'highest ASID/PCID', group: 'ASIDs', get: (r) => r.asids.highest },
    { key: 'fork.count', label: 'forks', group: 'fork', get: (r) => r.fork.count, optional: true },
    { key: 'fork.entries', label: 'fork: table entries written', group: 'fork', get: (r) => r.fork.entries, optional: true },
    { key: 'fork.ms', label: 'fork: time (ms)', group: 'fork time', get: (r) => round3(r.fork.ms), timing: true, optional: true },
  );
  return defs;
}

const DEFS = definitions();

export function ratio(a: number, b: number): number | null {
  return a === 0 ? null : round3(b / a);
}

export function figuresOf(a: BackendRun, x: BackendRun): Figure[] {
  const out: Figure[] = [];
  const forked = a.fork.count > 0 || x.fork.count > 0;
  for (const d of DEFS) {
    const va = d.get(a);
    const vx = d.get(x);
    if (d.optional && va === 0 && vx === 0) continue;
    if (d.group.startsWith('fork') && !forked) continue;
    out.push({ key: d.key, label: d.label, group: d.group, aarch64: va, x86_64: vx, ratio: ratio(va, vx), ...(d.timing ? { timing: true } : {}) });
  }
  return out;
}

export function workloadReport(name: string, args: readonly string[], a: BackendRun, x: BackendRun): WorkloadReport {
  const diff = firstDifference(a, x);
  const every = Math.max(a.samples.every, x.samples.every);
  return { name, args, same: diff === null, firstDifference: diff, figures: figuresOf(a, x), aarch64: resampled(a, every), x86_64: resampled(x, every) };
}

/** The run's samples at `every` instructions (a multiple of its own interval), its last one (at exit) kept. */
function resampled(r: BackendRun, every: number): BackendRun {
  if (r.samples.every === every) return r;
  const points = r.samples.points;
  const kept = points.filter((p, i) => p.insns % every === 0 || i === points.length - 1);
  return { ...r, samples: { every, points: kept } };
}

export function formatRatio(r: number | null): string {
  return r === null ? '-' : r.toFixed(2);
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

/** The report as text: per workload, the verdict and a table of figures. */
export function formatText(report: CompareReport): string {
  const lines: string[] = [];
  for (const w of report.workloads) {
    const a = w.aarch64;
    const x = w.x86_64;
    lines.push(`== ${w.name}${w.args.length ? ' ' + w.args.join(' ') : ''}: ${a.file} (aarch64) vs ${x.file} (x86_64)`);
    lines.push(
      w.same
        ? `behaviour: the same (stdout ${a.stdout.length} chars, stderr ${a.stderr.length} chars, exit status ${a.status})`
        : `behaviour: DIFFERENT: ${w.firstDifference}`,
    );
    const width = Math.max(...w.figures.map((f) => f.label.length));
    lines.push(`${'figure'.padEnd(width)}  ${'aarch64'.padStart(12)}  ${'x86_64'.padStart(12)}  ${'x86/a64'.padStart(8)}`);
    for (const f of w.figures) {
      lines.push(`${f.label.padEnd(width)}  ${formatNumber(f.aarch64).padStart(12)}  ${formatNumber(f.x86_64).padStart(12)}  ${formatRatio(f.ratio).padStart(8)}`);
    }
    lines.push('');
  }
  const differ = report.workloads.filter((w) => !w.same).length;
  lines.push(differ === 0 ? `all ${report.workloads.length} behaved the same on both backends` : `${differ} of ${report.workloads.length} behaved differently`);
  return lines.join('\n') + '\n';
}
