// Arm semihosting through HLT #0xF000: operation in w0, parameter (block) address in x1, result in x0.

import type { Cpu } from '../aarch64/cpu';
import { toAddress } from '../aarch64/int64';

export const SEMIHOSTING_HLT = 0xf000;

export const enum SemihostingOp {
  Open = 0x01,
  Close = 0x02,
  WriteC = 0x03,
  Write0 = 0x04,
  Write = 0x05,
  ReadC = 0x07,
  IsTty = 0x09,
  Clock = 0x10,
  Time = 0x11,
  Errno = 0x13,
  Exit = 0x18,
  ExitExtended = 0x20,
  Elapsed = 0x30,
  TickFreq = 0x31,
}

/** ADP_Stopped_ApplicationExit: the only exit reason that carries the program's status. */
const APPLICATION_EXIT = 0x20026;
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;

export interface SemihostingHost {
  writeOut(bytes: Uint8Array): void;
  writeErr(bytes: Uint8Array): void;
  /** One byte of input, or -1 at end of input. */
  readChar(): number;
  exit(status: number): void;
  /** Centiseconds since the board started, and counter ticks (for SYS_ELAPSED). */
  centiseconds(): number;
  ticks(): number;
  readonly tickFrequency: number;
}

export class Semihosting {
  constructor(private readonly host: SemihostingHost) {}

  /** The CPU's semihostingCall hook. */
  readonly call = (cpu: Cpu, imm: number): boolean => {
    if (imm !== SEMIHOSTING_HLT) return false;
    const x = cpu.x;
    const op = x[0] >>> 0;
    const arg = toAddress(x[2], x[3]);
    const r = this.dispatch(cpu, op, arg);
    if (r !== undefined) {
      x[0] = r | 0;
      x[1] = r < 0 ? -1 : Math.floor(r / 4294967296) | 0;
    }
    return true;
  };

  private dispatch(cpu: Cpu, op: number, arg: number): number | undefined {
    const h = this.host;
    switch (op) {
      // QEMU 7.2 sends the console calls to its stderr; SYS_WRITE to the ":tt" handle goes to stdout.
      case SemihostingOp.WriteC:
        h.writeErr(Uint8Array.of(cpu.vm.read8(arg)));
        return undefined;
      case SemihostingOp.Write0:
        h.writeErr(readCString(cpu, arg));
        return undefined;
      case SemihostingOp.Write:
        return this.write(cpu, arg);
      case SemihostingOp.ReadC:
        return h.readChar();
      case SemihostingOp.Open:
        return this.open(cpu, arg);
      case SemihostingOp.Close:
        return 0;
      case SemihostingOp.IsTty:
        return 1;
      case SemihostingOp.Clock:
        return h.centiseconds();
      case SemihostingOp.Time:
        return Math.floor(Date.now() / 1000);
      case SemihostingOp.Errno:
        return 0;
      case SemihostingOp.Exit:
      case SemihostingOp.ExitExtended: {
        const reason = readWord(cpu, arg);
        h.exit(reason === APPLICATION_EXIT ? readWord(cpu, arg + 8) : 1);
        return undefined;
      }
      case SemihostingOp.Elapsed: {
        const t = h.ticks();
        writeWord(cpu, arg, t % 4294967296, Math.floor(t / 4294967296));
        return 0;
      }
      case SemihostingOp.TickFreq:
        return h.tickFrequency;
    }
    return -1;
  }

  /** SYS_WRITE [handle, buffer, length]: returns how many bytes were NOT written. */
  private write(cpu: Cpu, block: number): number {
    const handle = readWord(cpu, block);
    const buf = toAddress(cpu.vm.read32(block + 8), cpu.vm.read32(block + 12));
    const length = readWord(cpu, block + 16);
    if (handle !== STDOUT && handle !== STDERR) return length;
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = cpu.vm.read8(buf + i);
    if (handle === STDERR) this.host.writeErr(bytes);
    else this.host.writeOut(bytes);
    return 0;
  }

  /** SYS_OPEN of ":tt" gives the console: read modes stdin, write modes stdout, append modes stderr. */
  private open(cpu: Cpu, block: number): number {
    const name = new TextDecoder().decode(readCString(cpu, toAddress(cpu.vm.read32(block), cpu.vm.read32(block + 4))));
    if (name !== ':tt') return -1;
    const mode = readWord(cpu, block + 8);
    return mode < 4 ? STDIN : mode < 8 ? STDOUT : STDERR;
  }
}

function readWord(cpu: Cpu, addr: number): number {
  return (cpu.vm.read32(addr + 4) >>> 0) * 4294967296 + (cpu.vm.read32(addr) >>> 0);
}

function writeWord(cpu: Cpu, addr: number, lo: number, hi: number): void {
  cpu.vm.write32(addr, lo | 0);
  cpu.vm.write32(addr + 4, hi | 0);
}

function readCString(cpu: Cpu, addr: number): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < 1 << 20; i++) {
    const c = cpu.vm.read8(addr + i);
    if (c === 0) break;
    out.push(c);
  }
  return Uint8Array.from(out);
}
