// One Linux process on the hosted kernel: its address space, its syscalls and
// the loop that runs the CPU at EL0 and takes every exception it raises.

import { StopReason } from '../../board/aarch64/cpu';
import { Ec } from '../../board/aarch64/exception-syndrome';
import type { ProgramImage } from '../../loader/program-image';
import type { HostedKernel } from '../hosted-kernel';
import { loadProgram, MMAP_TOP } from '../process/process-image';
import { UserFault, UserMemory } from '../process/user-memory';
import type { MemoryObject } from '../mm/memory-object';
import type { VSpace } from '../mm/vspace';
import { SIGNAL_NAMES, Signal } from './signals';
import { formatSyscall } from './strace';
import { syscallName } from './syscall-names';
import { ENOSYS, EFAULT, SYSCALLS } from './syscalls';

const TWO32 = 4294967296;
const BUDGET = 1_000_000;

export interface ProcessIo {
  writeOut(data: Uint8Array): void;
  writeErr(data: Uint8Array): void;
  /** Up to max bytes of standard input; an empty array at end of file. */
  readIn(max: number): Uint8Array;
  /** Is this fd a terminal (ioctl TCGETS answers)? */
  isTty(fd: number): boolean;
}

export interface ProcessOptions {
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly execfn: string;
  readonly strace: boolean;
  readonly io: ProcessIo;
  readonly random: Uint8Array;
  /** Stop after this many instructions (0: no limit). */
  readonly instructionLimit?: number;
}

export type ExitState = { readonly kind: 'exited'; readonly status: number } | { readonly kind: 'signaled'; readonly signal: number; readonly message: string };

export class LinuxProcess {
  readonly pid = 1000;
  readonly vs: VSpace;
  readonly user: UserMemory;
  brkStart: number;
  brk: number;
  mmapNext = MMAP_TOP;
  /** The brk heap's MemoryObject, made on the first brk that grows it. */
  heap: MemoryObject | undefined;
  exit: ExitState | undefined;
  syscallCount = 0;

  constructor(
    readonly kernel: HostedKernel,
    readonly image: ProgramImage,
    readonly options: ProcessOptions,
  ) {
    this.vs = kernel.mm.createVSpace();
    this.user = new UserMemory(kernel.mm, this.vs, kernel.phys);
    const loaded = loadProgram(kernel.mm, this.vs, image, { argv: options.argv, envp: options.envp, execfn: options.execfn, random: options.random });
    this.brkStart = loaded.brkStart;
    this.brk = loaded.brkStart;
    const cpu = kernel.cpu;
    kernel.switchTo(this.vs.activate());
    cpu.setEl(0);
    cpu.pc = loaded.entry;
    cpu.x[62] = loaded.sp | 0;
    cpu.x[63] = Math.floor(loaded.sp / TWO32) | 0;
  }

  get io(): ProcessIo {
    return this.options.io;
  }

  /** Runs until the process exits or dies; returns the shell-style status (128 + signal for a death). */
  run(): number {
    const cpu = this.kernel.cpu;
    const limit = this.options.instructionLimit ?? 0;
    while (this.exit === undefined) {
      const why = cpu.run(BUDGET);
      if (why === StopReason.Exception) this.takeException();
      if (limit > 0 && cpu.retired >= limit && this.exit === undefined) {
        this.die(Signal.SIGXCPU, `instruction limit of ${limit} reached at pc 0x${cpu.pc.toString(16)}`);
      }
    }
    return this.exit.kind === 'exited' ? this.exit.status & 0xff : 128 + this.exit.signal;
  }

  private takeException(): void {
    const cpu = this.kernel.cpu;
    const esr = cpu.sysregs.getLo('ESR_EL1') >>> 0;
    const ec = esr >>> 26;
    switch (ec) {
      case Ec.Svc64:
        this.syscall();
        return;
      case Ec.DataAbortLower:
      case Ec.InsnAbortLower: {
        const far = cpu.far;
        const outcome = this.kernel.mm.handleFault(this.vs, { syndrome: esr, addressLo: far >>> 0, addressHi: Math.floor(far / TWO32) >>> 0 });
        if (!outcome.resolved) this.die(Signal.SIGSEGV, `${outcome.report.reason} (pc 0x${cpu.pc.toString(16)})`);
        return;
      }
      case Ec.Unknown: {
        const u = cpu.lastUndefined;
        const what = u ? `UNDEFINED instruction 0x${(u.insn >>> 0).toString(16).padStart(8, '0')} at pc 0x${u.pc.toString(16)}` : `UNDEFINED instruction at pc 0x${cpu.pc.toString(16)}`;
        this.die(Signal.SIGILL, what);
        return;
      }
      case Ec.Brk:
        this.die(Signal.SIGTRAP, `BRK #0x${(esr & 0xffff).toString(16)} at pc 0x${cpu.pc.toString(16)}`);
        return;
      case Ec.PcAlignment:
      case Ec.SpAlignment:
        this.die(Signal.SIGBUS, `misaligned ${ec === Ec.PcAlignment ? 'pc' : 'sp'} at pc 0x${cpu.pc.toString(16)}`);
        return;
      default:
        this.die(Signal.SIGILL, `exception class 0x${ec.toString(16)} (ESR 0x${esr.toString(16)}) at pc 0x${cpu.pc.toString(16)}`);
    }
  }

  private syscall(): void {
    const x = this.kernel.cpu.x;
    const nr = x[16];
    const args = [0, 1, 2, 3, 4, 5].map((i) => (x[2 * i + 1] >>> 0) * TWO32 + (x[2 * i] >>> 0));
    this.syscallCount++;
    const entry = SYSCALLS.get(nr);
    let result: number;
    try {
      result = entry ? entry(this, args) : -ENOSYS;
    } catch (e) {
      if (!(e instanceof UserFault)) throw e;
      result = -EFAULT;
    }
    if (this.options.strace) this.io.writeErr(Buffer.from(`${this.pid} ${formatSyscall(syscallName(nr), args, result, entry === undefined)}\n`));
    if (this.exit !== undefined) return;
    x[0] = result | 0;
    x[1] = Math.floor(result / TWO32) | 0;
  }

  exitWith(status: number): void {
    this.exit = { kind: 'exited', status };
  }

  die(signal: Signal, detail: string): void {
    const message = `${SIGNAL_NAMES[signal] ?? `signal ${signal}`}: ${detail}`;
    this.exit = { kind: 'signaled', signal, message };
  }
}
