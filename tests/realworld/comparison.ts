// Compares a salty outcome with the expected one and explains the first
// difference in one line, for the table the test prints.

import type { Outcome } from './runners';

export interface Verdict {
  readonly pass: boolean;
  /** Where the outputs first part, empty when they agree. */
  readonly difference: string;
}

export function compare(want: Outcome, got: Outcome): Verdict {
  for (const stream of ['stdout', 'stderr'] as const) {
    if (want[stream] !== got[stream]) return { pass: false, difference: `${stream}: ${firstDifferingLine(want[stream], got[stream])}` };
  }
  if (want.status !== got.status) return { pass: false, difference: `status ${got.status}, expected ${want.status}` };
  return { pass: true, difference: '' };
}

export function firstDifferingLine(want: string, got: string): string {
  const w = want.split('\n');
  const g = got.split('\n');
  for (let i = 0; i < Math.max(w.length, g.length); i++) {
    if (w[i] !== g[i]) return `line ${i + 1}: got ${show(g[i])}, expected ${show(w[i])}`;
  }
  return 'same lines';
}

function show(line: string | undefined): string {
  if (line === undefined) return '(end)';
  const s = JSON.stringify(line);
  return s.length > 90 ? `${s.slice(0, 87)}..."` : s;
}

/** Syscalls that answered ENOSYS in a --strace stream, by name with their count. */
export function enosysCalls(strace: string): string[] {
  const counts = new Map<string, number>();
  for (const m of strace.matchAll(/^\d+ (\w+)\(.*\) = -1 errno=38 /gm)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} x${n}` : name));
}

/** UNDEFINED instructions salty reported while killing a process. */
export function undefinedInstructions(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/UNDEFINED instruction (0x[0-9a-f]{8})/g)].map((m) => m[1]))];
}
