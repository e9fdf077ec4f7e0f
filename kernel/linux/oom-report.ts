// The OOM killer's lines on stderr, rate limited as Linux's printk_ratelimited
// (at most 10 lines in any 5 seconds of the kernel's time, then one line
// counting those left out when the next window opens or the run ends). The
// kernel's clock (retired instructions unless --wall-clock) keeps the lines
// the same however loaded the host is. Linux writes every kill to its
// kernel log; salty's stderr is the user's terminal, where a storm of kills
// (hundreds of processes each holding memory) would otherwise print hundreds
// of lines.

import type { LinuxSystem } from './linux-system';

const INTERVAL_MS = 5000;
const BURST = 10;

interface Window {
  start: number;
  printed: number;
  suppressed: number;
}

const windows = new WeakMap<LinuxSystem, Window>();

function window(sys: LinuxSystem): Window {
  let w = windows.get(sys);
  if (!w) windows.set(sys, (w = { start: -Infinity, printed: 0, suppressed: 0 }));
  return w;
}

function suppressedLine(n: number): string {
  return `salty: Out of memory: ${n} more kill line${n === 1 ? '' : 's'} suppressed (at most ${BURST} every ${INTERVAL_MS / 1000} s)\n`;
}

/** Writes one OOM line (made only when it is printed) unless the window's burst is spent (then counts it). */
export function reportOom(sys: LinuxSystem, line: () => string, now = sys.now()): void {
  const w = window(sys);
  if (now - w.start >= INTERVAL_MS) {
    if (w.suppressed > 0) sys.io.writeErr(Buffer.from(suppressedLine(w.suppressed)));
    w.start = now;
    w.printed = 0;
    w.suppressed = 0;
  }
  if (w.printed < BURST) {
    w.printed++;
    sys.io.writeErr(Buffer.from(line()));
  } else {
    w.suppressed++;
  }
}

/** At the end of the run: the count of lines still held back, if any. */
export function flushOomReport(sys: LinuxSystem): void {
  const w = windows.get(sys);
  if (!w || w.suppressed === 0) return;
  sys.io.writeErr(Buffer.from(suppressedLine(w.suppressed)));
  w.suppressed = 0;
}
