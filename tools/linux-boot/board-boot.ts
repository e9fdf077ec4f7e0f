// Boots a Linux kernel on the virt board in this process, as `salty boot`
// would, collecting the console; used by the Linux-boot test and the bench.
// Time counts retired instructions, so a run is repeatable; a guest waiting
// for input that cannot come, or past the instruction or host-time limit, stops.

import { VirtBoard } from '../../board/virt/virt-board';
import { cpuReport } from '../../board/virt/cpu-report';

export interface LinuxBootOptions {
  readonly kernel: Uint8Array;
  readonly initrd: Uint8Array;
  readonly append: string;
  readonly gicVersion: 2 | 3;
  readonly memoryBytes: number;
  /** Host seconds before giving up. */
  readonly timeoutSeconds: number;
  /** A console line to time (the init script's first line). */
  readonly mark?: string;
}

export interface LinuxBootResult {
  readonly console: string;
  /** How the run ended: off (power-off), idle, timeout, or another board state. */
  readonly end: string;
  /** Where the CPU was when the run ended, for reports. */
  readonly where: string;
  readonly retired: number;
  readonly seconds: number;
  /** Retired instructions, host seconds and host CPU seconds (user + system) when the mark first appeared. */
  readonly markRetired?: number;
  readonly markSeconds?: number;
  readonly markCpuSeconds?: number;
}

const SLICE = 5_000_000;

export function bootLinux(o: LinuxBootOptions): LinuxBootResult {
  const out: number[] = [];
  const board = new VirtBoard({
    ramSize: o.memoryBytes,
    gicVersion: o.gicVersion,
    // A fixed seed and RTC time: the same run each time.
    seed: new Uint8Array(40).map((_, i) => (i * 37 + 11) & 0xff),
    rtcStartSeconds: 1_700_000_000,
    // QEMU's default virtio-net-pci card, as qemu-system-aarch64 -M virt has it.
    nics: [{}],
    console: { write: (b) => out.push(...b), writeErr: (b) => out.push(...b), readChar: () => -1 },
  });
  board.load(o.kernel, { fileName: 'vmlinuz', initrd: o.initrd, append: o.append });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const seconds = () => (performance.now() - t0) / 1000;
  let markRetired: number | undefined;
  let markSeconds: number | undefined;
  let markCpuSeconds: number | undefined;
  const markBytes = o.mark === undefined ? undefined : Buffer.from(o.mark);
  let searched = 0;
  let end = 'timeout';
  for (;;) {
    const state = board.run(SLICE);
    if (markBytes !== undefined && markRetired === undefined) {
      const found = Buffer.from(out.slice(Math.max(0, searched - markBytes.length))).indexOf(markBytes);
      if (found >= 0) {
        markRetired = board.cpu.retired;
        markSeconds = seconds();
        const c = process.cpuUsage(c0);
        markCpuSeconds = (c.user + c.system) / 1e6;
      }
      searched = out.length;
    }
    if (state.kind !== 'running') {
      end = state.kind;
      break;
    }
    if (seconds() > o.timeoutSeconds) break;
  }
  return { console: Buffer.from(out).toString('latin1'), end, where: cpuReport(board.cpu), retired: board.cpu.retired, seconds: seconds(), markRetired, markSeconds, markCpuSeconds };
}

/** The console with timestamps and carriage returns gone, as lines. */
export function consoleLines(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''));
}

/** The lines from the init script's start ("Run /init as init process") through power-off. */
export function initSection(lines: readonly string[]): string[] {
  const start = lines.findIndex((l) => l.startsWith('Run /init as init process'));
  if (start < 0) return [];
  const off = lines.findIndex((l, i) => i > start && l.startsWith('reboot: Power down'));
  return lines.slice(start, off < 0 ? lines.length : off + 1);
}
