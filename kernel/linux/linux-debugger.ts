// What the Linux personality tells a debugger of the host (the gdb stub in
// tools/gdb): each thread's slice before and after it runs, and each signal
// before its delivery, which the debugger may hold (a "signal-delivery stop"
// as ptrace has one) and later deliver, replace or drop.

import type { Trap } from '../arch/arch-cpu';
import type { LinuxThread } from './linux-thread';
import type { SigInfo } from './signal-state';

export interface LinuxDebugger {
  /** t is about to run its slice: false keeps it off the CPU (the debugger stopped everything). */
  beforeRun(t: LinuxThread): boolean;
  /** t's slice ended with trap ('debug' when the CPU stopped for the debugger). */
  afterRun(t: LinuxThread, trap: Trap): void;
  /** A signal about to be delivered to t: true lets it through; false holds it (taken off t's queue). */
  signal(t: LinuxThread, info: SigInfo): boolean;
}
