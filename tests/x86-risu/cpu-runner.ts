// Runs a case on our X86Cpu the way the native harness runs it: the same
// window (code page then data pages at 0x4000_0000, nothing else mapped), CPL3,
// the state loaded from the case's FXSAVE image, until a trap; the trap becomes
// the signal Linux would deliver for it.

import { Misc } from '../../board/x86_64/cpu-state';
import { Vector } from '../../board/x86_64/x86-fault';
import { X86TestMachine } from '../x86_64/x86-test-machine';
import {
  CODE_BASE, CODE_SIZE, DATA_SIZE, initialData, RawResult, S_FCW, S_FSW, S_FTW, S_MXCSR, S_RFLAGS, S_ST, S_XMM,
  SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, STATE_BYTES, X86Case,
} from './case-format';

/** Physical home of the window in the test machine's RAM. */
const WINDOW_PA = 0xa0_0000;
const BUDGET = 100_000;

const SIGNAL_OF: Record<number, number> = {
  [Vector.DE]: SIGFPE, [Vector.DB]: SIGTRAP, [Vector.BP]: SIGTRAP, [Vector.UD]: SIGILL, [Vector.SS]: SIGBUS,
  [Vector.GP]: SIGSEGV, [Vector.PF]: SIGSEGV, [Vector.MF]: SIGFPE, [Vector.AC]: SIGBUS, [Vector.XM]: SIGFPE,
};

export class X86CpuRunner {
  readonly machine = new X86TestMachine();
  readonly cpu = this.machine.cpu;
  private readonly fill = new Uint8Array(CODE_SIZE);

  constructor() {
    for (let va = 0x10_0000; va < 0x80_0000; va += 0x1000) this.machine.unmap(va);
    for (let off = 0; off < CODE_SIZE + DATA_SIZE; off += 0x1000) this.machine.map(CODE_BASE + off, WINDOW_PA + off);
  }

  /** The name our decoder gives an instruction, or undefined when it does not decode it. */
  describe(bytes: Uint8Array): string | undefined {
    return this.cpu.describe(bytes).name;
  }

  run(c: X86Case): RawResult {
    const { cpu, machine } = this;
    const phys = machine.phys;
    this.fill.fill(0xcc);
    this.fill.set(c.code);
    phys.writeBytes(WINDOW_PA, this.fill);
    const data = initialData(c.dataSeed, c.hot);
    phys.writeBytes(WINDOW_PA + CODE_SIZE, data);
    this.load(c.state);
    cpu.rip = CODE_BASE;
    const why = cpu.run(BUDGET);
    const t = cpu.lastTrap;
    let signal = 0;
    let rip = cpu.rip;
    if (t !== undefined && t.kind === 'exception') {
      signal = SIGNAL_OF[t.vector] ?? 0x100 + t.vector;
      rip = t.vector === Vector.BP ? t.rip : t.insnRip;
    } else if (t !== undefined) signal = 0x200; // a SYSCALL or interrupt: no block draws one
    cpu.lastTrap = undefined;
    void why;
    const now = phys.readBytes(WINDOW_PA + CODE_SIZE, DATA_SIZE);
    return { signal, rip, state: this.save(), changed: changedWords(data, now) };
  }

  private load(s: Uint8Array): void {
    const cpu = this.cpu;
    const dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
    const st = cpu.state;
    for (let n = 0; n < 32; n++) st.r[n] = dv.getInt32(4 * n, true);
    cpu.setRflags((dv.getUint32(S_RFLAGS, true) & 0xcd5) | 0x202);
    const fsw = dv.getUint16(S_FSW, true);
    const top = (fsw >> 11) & 7;
    st.misc[Misc.Fcw] = dv.getUint16(S_FCW, true);
    st.misc[Misc.Fsw] = fsw & ~0x3800;
    st.misc[Misc.FpuTop] = top;
    st.misc[Misc.FpuEmpty] = ~dv.getUint8(S_FTW) & 0xff;
    for (let k = Misc.FipLo; k <= Misc.Fop; k++) st.misc[k] = 0;
    for (let i = 0; i < 8; i++) {
      const phys = (top + i) & 7;
      st.stb.fill(0, 16 * phys, 16 * phys + 16);
      st.stb.set(s.subarray(S_ST + 16 * i, S_ST + 16 * i + 10), 16 * phys);
    }
    st.misc[Misc.Mxcsr] = dv.getUint32(S_MXCSR, true);
    st.xb.set(s.subarray(S_XMM, S_XMM + 256));
  }

  private save(): Uint8Array {
    const cpu = this.cpu;
    const st = cpu.state;
    const out = new Uint8Array(STATE_BYTES);
    const dv = new DataView(out.buffer);
    for (let n = 0; n < 32; n++) dv.setInt32(4 * n, st.r[n], true);
    dv.setUint32(S_RFLAGS, cpu.getRflags(), true);
    const top = st.misc[Misc.FpuTop] & 7;
    dv.setUint16(S_FCW, st.misc[Misc.Fcw], true);
    dv.setUint16(S_FSW, (st.misc[Misc.Fsw] & ~0x3800) | (top << 11), true);
    dv.setUint8(S_FTW, ~st.misc[Misc.FpuEmpty] & 0xff);
    for (let i = 0; i < 8; i++) {
      const phys = (top + i) & 7;
      out.set(st.stb.subarray(16 * phys, 16 * phys + 10), S_ST + 16 * i);
    }
    dv.setUint32(S_MXCSR, st.misc[Misc.Mxcsr], true);
    out.set(st.xb.subarray(0, 256), S_XMM);
    return out;
  }
}

function changedWords(before: Uint8Array, after: Uint8Array): Array<[number, number]> {
  const a = new Uint32Array(before.buffer, before.byteOffset, before.length / 4);
  const b = new Uint32Array(after.buffer.slice(after.byteOffset, after.byteOffset + after.length));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push([i, b[i]]);
  return out;
}

