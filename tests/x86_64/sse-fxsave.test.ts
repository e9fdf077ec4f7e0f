// FXSAVE/FXRSTOR through the CPU: the 512-byte layout (as this Intel host
// writes it after `fninit; fld1; fldz`: FCW 037f, FSW 3000, abridged tag c0,
// MXCSR, MXCSR_MASK ffff, ST(i) in 16-byte slots, XMM0-15 at 160), the round
// trip, and #GP for a misaligned area or reserved MXCSR bits.

import { describe, expect, it } from 'vitest';
import { Misc } from '../../board/x86_64/cpu-state';
import { Vector } from '../../board/x86_64/x86-fault';
import { DATA, x86Machine } from './x86-test-machine';

const FXSAVE_RSI = [0x0f, 0xae, 0x06];
const FXRSTOR_RSI = [0x0f, 0xae, 0x0e];

function machineAfterFld1Fldz(code: number[]) {
  const m = x86Machine(Uint8Array.from(code), { 6: DATA });
  const s = m.cpu.state;
  // fninit; fld1; fldz: TOP = 6, physical 7 = 1.0, physical 6 = +0.
  s.misc[Misc.Fcw] = 0x37f;
  s.misc[Misc.Fsw] = 0;
  s.misc[Misc.FpuTop] = 6;
  s.misc[Misc.FpuEmpty] = 0x3f;
  s.stl.fill(0);
  s.stl[7 * 4 + 1] = 0x80000000 | 0;
  s.stl[7 * 4 + 2] = 0x3fff;
  for (let n = 0; n < 16; n++) for (let k = 0; k < 16; k++) s.xb[16 * n + k] = (n * 16 + k) & 0xff;
  s.misc[Misc.Mxcsr] = 0x1fa0;
  return m;
}

describe('FXSAVE / FXRSTOR', () => {
  it('writes the layout the host writes', () => {
    const m = machineAfterFld1Fldz(FXSAVE_RSI);
    m.phys.fill(DATA, 512, 0xcc);
    m.runToBreakpoint();
    const b = m.phys.readBytes(DATA, 512);
    const v = new DataView(b.buffer, b.byteOffset);
    expect(v.getUint16(0, true)).toBe(0x37f);
    expect(v.getUint16(2, true)).toBe(0x3000);
    expect(b[4]).toBe(0xc0);
    expect(v.getUint32(24, true)).toBe(0x1fa0);
    expect(v.getUint32(28, true)).toBe(0xffff);
    expect(Buffer.from(b.subarray(32, 64)).toString('hex')).toBe('000000000000000000000000000000000000000000000080ff3f000000000000');
    for (let n = 0; n < 16; n++) expect(b[160 + 16 * n]).toBe((n * 16) & 0xff);
    expect(b[464]).toBe(0xcc);
  });

  it('FXRSTOR brings back what FXSAVE stored', () => {
    const m = machineAfterFld1Fldz(FXSAVE_RSI);
    const s = m.cpu.state;
    const xmm = s.xb.slice();
    const st = s.stl.slice();
    m.runToBreakpoint();
    m.load(Uint8Array.from([...FXRSTOR_RSI, 0xcc]));
    s.xb.fill(0x55);
    s.stl.fill(7);
    s.misc[Misc.Mxcsr] = 0x1f80;
    s.misc[Misc.FpuTop] = 0;
    s.misc[Misc.FpuEmpty] = 0xff;
    m.runToBreakpoint();
    expect(Array.from(s.xb)).toEqual(Array.from(xmm));
    expect(Array.from(s.stl)).toEqual(Array.from(st));
    expect(s.misc[Misc.Mxcsr]).toBe(0x1fa0);
    expect(s.misc[Misc.FpuTop]).toBe(6);
    expect(s.misc[Misc.FpuEmpty]).toBe(0x3f);
  });

  it('a misaligned area or reserved MXCSR bits are #GP', () => {
    const m = x86Machine(Uint8Array.from(FXSAVE_RSI), { 6: DATA + 8 });
    expect(m.run().vector).toBe(Vector.GP);
    const r = x86Machine(Uint8Array.from(FXRSTOR_RSI), { 6: DATA });
    r.phys.fill(DATA, 512, 0);
    r.phys.writeBytes(DATA + 24, Uint8Array.from([0x80, 0x1f, 0x01, 0x00]));
    expect(r.run().vector).toBe(Vector.GP);
  });
});
