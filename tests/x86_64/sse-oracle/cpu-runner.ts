// Runs oracle cases through the whole x86-64 CPU (decoder, operands, memory,
// traps) instead of calling a semantic function: the instruction's bytes at
// CODE with INT3 after them, rsi pointing at the 32-byte memory operand.

import { Misc } from '../../../board/x86_64/cpu-state';
import { Vector } from '../../../board/x86_64/x86-fault';
import { CODE, DATA, X86TestMachine } from '../x86-test-machine';
import { type Case, RESULT_BYTES, SIGFPE, SIGILL, SIGSEGV } from './harness';

const SIGNAL: Record<number, number> = { [Vector.XM]: SIGFPE, [Vector.UD]: SIGILL, [Vector.GP]: SIGSEGV };

let machine: X86TestMachine | undefined;

export function runOnCpu(c: Case, keepHighRegs = false): Uint8Array {
  const m = (machine ??= new X86TestMachine());
  const cpu = m.cpu;
  const s = cpu.state;
  for (let i = 0; i < 3; i++) s.setXmm(i, c.xmm.subarray(16 * i, 16 * i + 16));
  if (!keepHighRegs) s.xb.fill(0, 48);
  s.misc[Misc.Mxcsr] = c.mxcsr;
  s.setR(0, c.rax);
  s.setR(1, c.rcx);
  s.setR(2, c.rdx);
  s.setR(6, DATA);
  s.setR(7, DATA);
  cpu.setRflags(0x202 | (c.flags & 0x8d5));
  m.phys.writeBytes(DATA, c.mem);
  m.load(Uint8Array.from([...c.code, 0xcc]), CODE);
  const trap = m.run(10);
  const b = new Uint8Array(RESULT_BYTES);
  const v = new DataView(b.buffer);
  b.set(s.xb.subarray(0, 48), 0);
  b.set(m.phys.readBytes(DATA, 32), 48);
  v.setBigUint64(80, s.getR(0), true);
  v.setBigUint64(88, s.getR(1), true);
  v.setBigUint64(96, s.getR(2), true);
  v.setUint32(104, s.misc[Misc.Mxcsr], true);
  v.setUint32(108, cpu.getRflags() & 0x8d5, true);
  const fault = trap.kind === 'exception' && trap.vector === Vector.BP ? 0 : (SIGNAL[trap.vector] ?? 200 + trap.vector);
  v.setUint32(112, fault, true);
  return b;
}

/**
 * The same case with REX.R and REX.B set (a 0x45 byte before 0F): the
 * instruction works on XMM8 (was XMM0) and XMM9 (was XMM1); returns the
 * record with XMM8/XMM9 copied back into the XMM0/XMM1 slots, or null when
 * the encoding already has a REX byte or uses GPR operands.
 */
export function runOnCpuHighRegs(c: Case): Uint8Array | null {
  const at = c.code.indexOf(0x0f);
  if (at < 0 || c.code.slice(0, at).some((b) => (b & 0xf0) === 0x40)) return null;
  const code = [...c.code.slice(0, at), 0x45, ...c.code.slice(at)];
  const m = (machine ??= new X86TestMachine());
  const s = m.cpu.state;
  s.setXmm(0, new Uint8Array(16));
  s.setXmm(1, new Uint8Array(16));
  s.setXmm(8, c.xmm.subarray(0, 16));
  s.setXmm(9, c.xmm.subarray(16, 32));
  const r = runOnCpu({ ...c, code, xmm: Uint8Array.from([...new Uint8Array(32), ...c.xmm.subarray(32, 48)]) }, true);
  r.set(s.xb.subarray(128, 160), 0);
  return r;
}
