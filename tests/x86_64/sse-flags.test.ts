// SSE rows and the block's dead-flag pass: an SSE instruction between a
// flag writer and a flag reader leaves the flags alone; (U)COMISS, PTEST and
// PCMPxSTRx replace all six.

import { describe, expect, it } from 'vitest';
import { x86Machine } from './x86-test-machine';

const ADD_EAX_EBX = [0x01, 0xd8];
const PXOR_XMM0 = [0x66, 0x0f, 0xef, 0xc0];
const PCMPEQB_XMM0 = [0x66, 0x0f, 0x74, 0xc0];
const MOVDQA_XMM1_XMM0 = [0x66, 0x0f, 0x6f, 0xc8];
const PTEST_XMM0_XMM0 = [0x66, 0x0f, 0x38, 0x17, 0xc0];
const UCOMISS_XMM0_XMM1 = [0x0f, 0x2e, 0xc1];
const SETC_CL = [0x0f, 0x92, 0xc1];
const SETZ_DL = [0x0f, 0x94, 0xc2];
const SETO_BL = [0x0f, 0x90, 0xc3];

describe('SSE rows and lazy flags', () => {
  it('keep the flags of an earlier ADD across SSE instructions', () => {
    const m = x86Machine(Uint8Array.from([...ADD_EAX_EBX, ...PXOR_XMM0, ...PCMPEQB_XMM0, ...MOVDQA_XMM1_XMM0, ...SETC_CL, ...SETZ_DL]), { 0: 0xffffffff, 3: 1 });
    m.runToBreakpoint();
    expect(Number(m.reg(1) & 0xffn)).toBe(1);
    expect(Number(m.reg(2) & 0xffn)).toBe(1);
  });

  it('PTEST and UCOMISS replace the flags of an earlier ADD', () => {
    // ADD overflows (OF = 1, CF = 0); PTEST of an all-ones register: ZF = 0, CF = 1, OF cleared.
    const m = x86Machine(Uint8Array.from([...ADD_EAX_EBX, ...PXOR_XMM0, ...PCMPEQB_XMM0, ...PTEST_XMM0_XMM0, ...SETC_CL, ...SETZ_DL, ...SETO_BL]), { 0: 0x7fffffff, 3: 1 });
    m.runToBreakpoint();
    expect([m.reg(1) & 0xffn, m.reg(2) & 0xffn, m.reg(3) & 0xffn]).toEqual([1n, 0n, 0n]);
    // UCOMISS of a NaN (all ones) with itself: unordered, ZF = PF = CF = 1.
    const u = x86Machine(Uint8Array.from([...ADD_EAX_EBX, ...PXOR_XMM0, ...PCMPEQB_XMM0, ...MOVDQA_XMM1_XMM0, ...UCOMISS_XMM0_XMM1, ...SETC_CL, ...SETZ_DL, ...SETO_BL]), { 0: 0x7fffffff, 3: 1 });
    u.runToBreakpoint();
    expect([u.reg(1) & 0xffn, u.reg(2) & 0xffn, u.reg(3) & 0xffn]).toEqual([1n, 1n, 0n]);
  });
});

describe('SSE #XM and lazy flags', () => {
  it('an unmasked exception in a register-form ADDSS shows the flags of the ADD before it', () => {
    // add eax, ebx (CF = 1); divss xmm0, xmm1 (1/0 with ZE unmasked: #XM); cmp eax, eax would overwrite the flags.
    const code = [...ADD_EAX_EBX, 0xf3, 0x0f, 0x5e, 0xc1, 0x39, 0xc0];
    const m = x86Machine(Uint8Array.from(code), { 0: 0xffffffff, 3: 1 });
    const s = m.cpu.state;
    s.xw[0] = 0x3f800000; // 1.0
    s.xw[4] = 0; // 0.0
    s.misc[4] = 0x1f80 & ~0x200; // MXCSR with ZM clear
    const t = m.run();
    expect(t.vector).toBe(19);
    expect(m.rflags() & 0x41).toBe(0x41); // CF and ZF of 0xffffffff + 1
  });
});
