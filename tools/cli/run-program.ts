// `salty run`: boot the hosted kernel on the machine the ELF is built for
// (aarch64 or x86_64), load the Linux ELF (and its interpreter when it is
// dynamically linked) and run it.

import { fstatSync, readSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { hostRandomBytes } from '../../kernel/host-random';
import { parseElfImage } from '../../loader/elf-image';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import type { ConsoleIo } from '../../kernel/vfs/device';
import type { LinuxProcess } from '../../kernel/linux/linux-process';
import { collectStats, formatStats } from '../../kernel/mm/stats-report';
import { isNativeProgram, runNativeProgram } from './run-native';
import { auditAfterRun, auditCostLines, recordBootFrames } from '../../kernel/linux/run-audit';
import { flushOomReport } from '../../kernel/linux/oom-report';
import { reclaimAfterOomKills } from './host-heap';
import { hostTermios, setHostTermios } from './host-terminal';

export type JitMode = 'off' | 'on' | 'always';

export interface RunOptions {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly args: readonly string[];
  readonly argv0?: string;
  readonly env: readonly string[];
  readonly memoryBytes: number;
  readonly strace: boolean;
  readonly stats: boolean;
  /** Check the PMM and the tiers when the run ends and print one line saying so. */
  readonly audit?: boolean;
  readonly instructionLimit?: number;
  /** Host directory the guest sees as / (default: the host's own /, as qemu-user without -L). */
  readonly root?: string;
  /** The writable layer's size in bytes (default half of memoryBytes). */
  readonly rootSize?: number;
  /** qemu-user's -L (or QEMU_LD_PREFIX): a host directory searched first for the absolute paths the guest names. */
  readonly sysroot?: string;
  /** false: no host network (AF_INET and AF_INET6 sockets answer EACCES). */
  readonly network?: boolean;
  /** Time from the host's clock (sleeps take real time) instead of retired instructions. */
  readonly wallClock?: boolean;
  /** The guest's working directory (default: the host process's own). */
  readonly cwd?: string;
  /** Told the instructions retired when the run ends (harnesses that measure). */
  readonly onRetired?: (retired: number) => void;
  /** The A64 block compiler: 'off' (--no-jit), 'on' (hot blocks, the default) or 'always' (every block at its first run). */
  readonly jit?: JitMode;
}

export type ProcessIo = ConsoleIo;

export const hostIo: ProcessIo = {
  writeOut: (d) => writeAll(1, d),
  writeErr: (d) => writeAll(2, d),
  readIn(max) {
    const buf = Buffer.alloc(max);
    try {
      return buf.subarray(0, readSync(0, buf, 0, max, null));
    } catch {
      return new Uint8Array(0);
    }
  },
  isTty: isHostTty,
  windowSize: hostWindowSize,
  getTermios: hostTermios,
  setTermios: setHostTermios,
};

/**
 * The size of the terminal behind a host fd: Node's stream of stdout or stderr when that is a terminal (for
 * stdin, whichever of them is). Only a terminal's stream is touched: Node's stream of a pipe would make it
 * non-blocking.
 */
function hostWindowSize(fd: number): { rows: number; cols: number } | undefined {
  for (const out of fd === 0 ? [1, 2] : [fd]) {
    if (!isHostTty(out)) continue;
    const [cols, rows] = (out === 1 ? process.stdout : process.stderr).getWindowSize();
    return { rows, cols };
  }
  return undefined;
}

/** Linux's major number of /dev/null, /dev/zero and the other memory devices. */
const MEM_DEVICES_MAJOR = 1;

/**
 * Whether a host fd is a terminal. node:tty (and node:net under it) loads only for a character device that may
 * be one: loading it cost 3-10 ms of a start whose stdio were files, pipes or /dev/null (on Linux, major 1 is
 * the memory devices: null, zero, full, random, urandom).
 */
function isHostTty(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    if (process.platform === 'linux' && ((st.rdev >>> 8) & 0xfff) === MEM_DEVICES_MAJOR) return false;
  } catch {
    return false;
  }
  const tty = createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
  return tty.isatty(fd);
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
}

/** Runs the program; returns the exit status a shell would see. */
export function runProgram(o: RunOptions, io: ProcessIo = hostIo): number {
  if (isNativeProgram(o.bytes)) return runNativeProgram(o, parseElfImage(o.bytes, { fileName: o.file }), io);
  const run = startProgram(o, io);
  return finishProgram(o, io, run, run.system.run());
}

/** A program loaded and ready for its first instruction. */
export interface StartedProgram {
  readonly kernel: HostedKernel;
  readonly system: LinuxSystem;
  readonly proc: LinuxProcess;
  readonly started: bigint;
}

/** Boots the kernel and loads the program (salty run -g then waits for gdb). */
export function startProgram(o: RunOptions, io: ProcessIo = hostIo): StartedProgram {
  const image = parseElfImage(o.bytes, { fileName: o.file });
  if (isNativeProgram(o.bytes)) throw new Error('native SaltyOS programs cannot run under gdb yet');
  // The ELF's e_machine picks the machine: aarch64 on the virt board, x86_64 on the PC.
  const kernel = new HostedKernel(o.memoryBytes, { wallClock: o.wallClock, arch: image.machine });
  if (o.jit !== undefined) kernel.machine.setJitMode?.(o.jit);
  const sysrootDir = o.sysroot === undefined || o.sysroot === '' ? '/' : withoutTrailingSlash(resolve(o.sysroot));
  const sysroot = sysrootDir === '/' ? null : sysrootDir;
  const system = new LinuxSystem(kernel, { strace: o.strace, io, root: o.root ?? '/', instructionLimit: o.instructionLimit, sysroot, network: o.network, rootSize: o.rootSize, endsWithLastProcess: o.stats !== true && o.audit !== true });
  if (o.audit) recordBootFrames(system);
  reclaimAfterOomKills(o.memoryBytes);
  const proc = system.spawn({
    exe: { path: resolve(o.file), bytes: o.bytes },
    execfn: o.file,
    image,
    argv: [o.argv0 ?? o.file, ...o.args],
    envp: o.env,
    random: hostRandomBytes(16),
  });
  const cwd = o.cwd ?? process.cwd();
  if (system.fs.lstat(cwd)?.kind === 'dir') proc.cwd = cwd;
  return { kernel, system, proc, started: process.hrtime.bigint() };
}

/** After the run: the death message, --stats, and the status. */
export function finishProgram(o: RunOptions, io: ProcessIo, run: StartedProgram, status: number): number {
  const { kernel, system, proc, started } = run;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  o.onRetired?.(kernel.retired);
  const exit = proc.exit!;
  flushOomReport(system);
  if (exit.kind === 'signaled') io.writeErr(Buffer.from(`salty: ${o.file}: ${exit.message}\n`));
  if (o.audit) {
    const problems = auditAfterRun(system);
    io.writeErr(Buffer.from(problems.length === 0 ? 'salty: audit: ok\n' : problems.map((p) => `salty: audit: FAILED: ${p}\n`).join('')));
  }
  if (o.stats) {
    const retired = kernel.retired;
    const lines = [
      '--- salty stats ---',
      `arch: ${kernel.arch}`,
      `instructions retired: ${retired}`,
      `time: ${seconds.toFixed(3)} s, ${(retired / seconds / 1e6).toFixed(1)} MIPS`,
      `syscalls: ${system.syscallCount}`,
      `interrupts: ${kernel.interruptCount} (timer ${kernel.interrupts.get(kernel.machine.timerVector) ?? 0}), preemptions: ${system.preemptions}`,
      ...(kernel.machine.cpuReport?.() ?? []),
      formatStats(collectStats(kernel.mm)),
      ...auditCostLines(system),
    ];
    io.writeErr(Buffer.from(lines.join('\n') + '\n'));
  }
  return status;
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
