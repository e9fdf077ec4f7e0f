// FXSAVE/FXRSTOR (NP 0F AE /0 and /1, with REX.W the 64-bit FIP/FDP forms):
// the 512-byte image of the x87 state, MXCSR and XMM0-15. Neither delivers a
// pending x87 exception. Bytes 416..511 are left alone, as the hardware does.

import { Misc } from '../cpu-state';
import type { X86Insn, X86Row } from '../decoder';
import { MXCSR_MASK } from '../sse-fp-env';
import { generalProtection } from '../x86-fault';
import { fullStatus, memOp, readReg, setRaw, setStatus, storeReg } from './x87-control';
import { FSW_B, type X87 } from './x87-state';
import { ES, EXCEPTIONS } from '../../fp80';

/** The image's size up to XMM15. */
const IMAGE_BYTES = 416;

function fxsave(u: X87, addr: number, i: X86Insn): void {
  if (addr % 16 !== 0) throw generalProtection(0);
  const mem = u.cpu.mem;
  const m = u.misc;
  mem.probeWrite(addr, IMAGE_BYTES);
  mem.write16(addr, m[Misc.Fcw]);
  mem.write16(addr + 2, fullStatus(u));
  mem.write8(addr + 4, ~m[Misc.FpuEmpty] & 0xff); // the abridged tag word: 1 = valid
  mem.write8(addr + 5, 0);
  mem.write16(addr + 6, m[Misc.Fop]);
  // Without REX.W the upper halves hold FCS/FDS, which current parts store as 0.
  mem.write32(addr + 8, m[Misc.FipLo]);
  mem.write32(addr + 12, i.rexW ? m[Misc.FipHi] : 0);
  mem.write32(addr + 16, m[Misc.FdpLo]);
  mem.write32(addr + 20, i.rexW ? m[Misc.FdpHi] : 0);
  mem.write32(addr + 24, m[Misc.Mxcsr]);
  mem.write32(addr + 28, MXCSR_MASK);
  for (let k = 0; k < 8; k++) {
    storeReg(u, k, addr + 32 + 16 * k);
    mem.write16(addr + 42 + 16 * k, 0);
    mem.write32(addr + 44 + 16 * k, 0);
  }
  const xw = u.cpu.state.xw;
  for (let n = 0; n < 64; n++) mem.write32(addr + 160 + 4 * n, xw[n]);
}

/**
 * Everything is read (and MXCSR checked) before anything changes, so a fault
 * leaves the state whole. FCW keeps its defined bits with bit 6 forced to 1;
 * MXCSR bits outside MXCSR_MASK raise #GP (both as the host does).
 */
function fxrstor(u: X87, addr: number, i: X86Insn): void {
  if (addr % 16 !== 0) throw generalProtection(0);
  const mem = u.cpu.mem;
  const mxcsr = mem.read32(addr + 24);
  if (mxcsr & ~MXCSR_MASK) throw generalProtection(0);
  const regs = new Int32Array(24);
  for (let k = 0; k < 8; k++) readReg(u, addr + 32 + 16 * k, regs, 3 * k);
  const xmm = new Int32Array(64);
  for (let n = 0; n < 64; n++) xmm[n] = mem.read32(addr + 160 + 4 * n);
  const m = u.misc;
  m[Misc.Fcw] = (mem.read16(addr) & 0x1f3f) | 0x40;
  setStatus(u, mem.read16(addr + 2));
  // ES and B are not restored: they summarize the flags the new FCW leaves unmasked (measured).
  let fsw = m[Misc.Fsw] & ~(ES | FSW_B);
  if (fsw & ~m[Misc.Fcw] & EXCEPTIONS) fsw |= ES | FSW_B;
  m[Misc.Fsw] = fsw;
  m[Misc.FpuEmpty] = ~mem.read8(addr + 4) & 0xff;
  m[Misc.Fop] = mem.read16(addr + 6) & 0x7ff;
  m[Misc.FipLo] = mem.read32(addr + 8);
  m[Misc.FipHi] = i.rexW ? mem.read32(addr + 12) : 0;
  m[Misc.FdpLo] = mem.read32(addr + 16);
  m[Misc.FdpHi] = i.rexW ? mem.read32(addr + 20) : 0;
  m[Misc.Mxcsr] = mxcsr;
  for (let k = 0; k < 8; k++) setRaw(u, k, regs, 3 * k);
  u.cpu.state.xw.set(xmm);
}

export const x87FxsaveRows: X86Row[] = [
  { name: 'FXSAVE m512byte', enc: 'NP 0F AE /0 mem', handler: memOp(false, fxsave) },
  { name: 'FXRSTOR m512byte', enc: 'NP 0F AE /1 mem', handler: memOp(false, fxrstor) },
];
