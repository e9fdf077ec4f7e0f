// Runs RISU cases on our CPU exactly as the harness runs them under QEMU: the
// same 64 KiB window at 0x4000_0000 (code page, then the data page), hosted
// EL0 with the MMU off, every register loaded from the case's state.

import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import {
  BRK0, CODE_BASE, DATA_BASE, DATA_WORDS, RisuCase, RisuResult, S_FPCR, S_FPSR, S_NZCV, S_SP, S_V,
  SIGBUS, SIGILL, SIGSEGV, SIGTRAP, STATE_BYTES, WINDOW_SIZE,
} from './case-format';
import { fillData } from './random';

const EC_UNKNOWN = 0x00;
const EC_INSN_ABORT = 0x20;
const EC_PC_ALIGN = 0x22;
const EC_DATA_ABORT = 0x24;
const EC_SP_ALIGN = 0x26;
const EC_BRK = 0x3c;
const FSC_ALIGNMENT = 0x21;
/** Blocks hold at most a few dozen instructions; a budget this size only stops a runaway. */
const BUDGET = 4096;

/** The signal Linux (and qemu-aarch64) delivers for the exception our CPU took. */
export function signalFor(esr: number): number {
  const ec = esr >>> 26;
  if (ec === EC_BRK) return SIGTRAP;
  if (ec === EC_UNKNOWN) return SIGILL;
  if (ec === EC_DATA_ABORT || ec === EC_DATA_ABORT + 1) return (esr & 0x3f) === FSC_ALIGNMENT ? SIGBUS : SIGSEGV;
  if (ec === EC_INSN_ABORT || ec === EC_INSN_ABORT + 1) return SIGSEGV;
  if (ec === EC_PC_ALIGN || ec === EC_SP_ALIGN) return SIGBUS;
  return 100 + ec; // no Linux signal: shows up as a mismatch naming the EC
}

export class CpuRunner {
  readonly phys = new PhysicalMemory(CODE_BASE, WINDOW_SIZE);
  readonly cpu = new Cpu(this.phys, { hosted: true });
  private readonly codePage = new Uint8Array(4096);
  private readonly initial = new Uint32Array(DATA_WORDS);

  constructor() {
    this.cpu.setEl(0);
  }

  run(c: RisuCase): RisuResult {
    this.load(c);
    const cpu = this.cpu;
    const why = cpu.run(BUDGET);
    const signal = why === StopReason.Exception ? signalFor(cpu.sysregs.getLo('ESR_EL1')) : 200 + why;
    return { signal, pc: BigInt.asUintN(64, BigInt(cpu.pc)), state: this.saveState(), changed: this.changedWords() };
  }

  private load(c: RisuCase): void {
    const page = this.codePage;
    page.fill(0);
    const dv = new DataView(page.buffer);
    c.code.forEach((w, i) => dv.setUint32(4 * i, w, true));
    dv.setUint32(4 * c.code.length, BRK0, true);
    this.phys.writeBytes(CODE_BASE, page);
    fillData(this.initial, c.dataSeed);
    const ram = this.phys.bytes;
    ram.fill(0, 0x2000, WINDOW_SIZE);
    ram.set(new Uint8Array(this.initial.buffer), DATA_BASE - CODE_BASE);

    const cpu = this.cpu;
    const s = new DataView(c.state.buffer, c.state.byteOffset, STATE_BYTES);
    for (let i = 0; i < 31; i++) {
      cpu.x[2 * i] = s.getInt32(8 * i, true);
      cpu.x[2 * i + 1] = s.getInt32(8 * i + 4, true);
    }
    cpu.x[62] = s.getInt32(S_SP, true);
    cpu.x[63] = s.getInt32(S_SP + 4, true);
    cpu.state.nzcv = s.getUint32(S_NZCV, true);
    cpu.setFpcr(s.getUint32(S_FPCR, true));
    cpu.fpsr = s.getUint32(S_FPSR, true);
    cpu.state.vb.set(c.state.subarray(S_V, S_V + 512));
    cpu.clearExclusive();
    cpu.pc = CODE_BASE;
  }

  private saveState(): Uint8Array {
    const cpu = this.cpu;
    const out = new Uint8Array(STATE_BYTES);
    const s = new DataView(out.buffer);
    for (let i = 0; i < 32; i++) {
      s.setInt32(8 * i, cpu.x[2 * i], true);
      s.setInt32(8 * i + 4, cpu.x[2 * i + 1], true);
    }
    s.setUint32(S_NZCV, cpu.state.nzcv, true);
    s.setUint32(S_FPCR, cpu.fpcr, true);
    s.setUint32(S_FPSR, cpu.fpsr, true);
    out.set(cpu.state.vb, S_V);
    return out;
  }

  private changedWords(): Array<[number, number]> {
    const now = new Uint32Array(this.phys.memory.buffer, DATA_BASE - CODE_BASE, DATA_WORDS);
    const changed: Array<[number, number]> = [];
    for (let i = 0; i < DATA_WORDS; i++) if (now[i] !== this.initial[i]) changed.push([i, now[i]]);
    return changed;
  }
}
