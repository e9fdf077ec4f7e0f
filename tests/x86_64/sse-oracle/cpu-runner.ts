// Runs oracle cases through the whole x86-64 CPU (decoder, operands, memory,
// traps) instead of calling a semantic function: the instruction's bytes at
// CODE with INT3 after them, rsi pointing at the 32-byte memory operand.

import { Misc } from '../../../board/x86_64/cpu-state';
import { Vector } from '../../../board/x86_64/x86-fault';
import { CODE, DATA, X86TestMachine } from '../x86-test-machine';
import { type Case, RESULT_BYTES, SIGFPE, SIGILL, SIGSEGV } from './harness';

const SIGNAL: Record<number, number> = { [Vector.XM]: SIGFPE, [Vector.UD]: SIGILL, [Vector.GP]: SIGSEGV };

let machine: X86TestMachine | undefined;

export function runOnCpu(c: Case): Uint8Array {
  const m = (machine ??= new X86TestMachine());
  const cpu = m.cpu;
  const s = cpu.state;
  for (let i = 0; i < 3; i++) s.setXmm(i, c.xmm.subarray(16 * i, 16 * i + 16));
  s.misc[Misc.Mxcsr] = c.mxcsr;
  s.setR(0, c.rax);
  s.setR(1, c.rcx);
  s.setR(2, c.rdx);
  s.setR(6, DATA);
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
