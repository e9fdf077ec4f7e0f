// The signal frame's layout, read back at the offsets DESIGN.md gives (and
// glibc's ucontext_t uses), and the trip through encode and decode.

import { describe, expect, it } from 'vitest';
import { A64Context as CpuContext } from '../../kernel/arch/aarch64/user-context';
import { decodeUcontext, encodeFrame, FRAME_SIZE, frameAddresses, SIGINFO_SIZE, SIGRETURN_CODE } from '../../kernel/arch/aarch64/signal-frame';
import { encodeSiginfo } from '../../kernel/linux/signal-frame';
import { SigSet } from '../../kernel/linux/sigset';

function sampleContext(): CpuContext {
  const c = new CpuContext();
  for (let i = 0; i < 32; i++) c.setX(i, 0x1000_0000 * (i + 1) + i);
  for (let i = 0; i < 512; i++) c.v[i] = (i * 7) & 0xff;
  c.pc = 0x40_1234;
  c.nzcv = 0x6000_0000;
  c.fpcr = 0x0300_0000;
  c.fpsr = 0x1f;
  return c;
}

describe('arm64 signal frame', () => {
  const ctx = sampleContext();
  const mask = new SigSet(0x0000_4001, 0x8000_0000);
  const bytes = encodeFrame({ ctx, siginfo: encodeSiginfo({ signo: 11, code: 2, addr: 0xdead_b000 }), mask, altStack: { sp: 0x7000, size: 0x2000, flags: 2 }, faultAddress: 0xdead_b000 });
  const v = new DataView(bytes.buffer);
  const uc = SIGINFO_SIZE;
  const mc = uc + 176;
  const u64 = (at: number): number => v.getUint32(at + 4, true) * 2 ** 32 + v.getUint32(at, true);

  it('puts siginfo first: signo, code, si_addr at 16', () => {
    expect(v.getInt32(0, true)).toBe(11);
    expect(v.getInt32(8, true)).toBe(2);
    expect(u64(16)).toBe(0xdead_b000);
  });

  it('puts uc_stack at 16, uc_sigmask at 40 and uc_mcontext at 176 in the ucontext', () => {
    expect(u64(uc + 16)).toBe(0x7000);
    expect(v.getInt32(uc + 24, true)).toBe(2);
    expect(u64(uc + 32)).toBe(0x2000);
    expect(v.getUint32(uc + 40, true)).toBe(0x4001);
    expect(v.getUint32(uc + 44, true)).toBe(0x8000_0000);
    expect(u64(mc)).toBe(0xdead_b000);
    for (const i of [0, 1, 17, 30]) expect(u64(mc + 8 + 8 * i)).toBe(ctx.getU(i));
    expect(u64(mc + 256)).toBe(ctx.getU(31));
    expect(u64(mc + 264)).toBe(0x40_1234);
    expect(v.getUint32(mc + 272, true)).toBe(0x6000_0000);
  });

  it('starts the reserved area with an fpsimd record (magic 0x46508001, 528 bytes) and ends with a null record', () => {
    const r = mc + 288;
    expect(v.getUint32(r, true)).toBe(0x46508001);
    expect(v.getUint32(r + 4, true)).toBe(528);
    expect(v.getUint32(r + 8, true)).toBe(0x1f);
    expect(v.getUint32(r + 12, true)).toBe(0x0300_0000);
    expect([...bytes.subarray(r + 16, r + 16 + 512)]).toEqual([...ctx.v]);
    expect(v.getUint32(r + 528, true)).toBe(0);
    expect(v.getUint32(r + 532, true)).toBe(0);
    expect(FRAME_SIZE).toBe(SIGINFO_SIZE + 176 + 288 + 4096);
  });

  it('restores every register, the flags, FP state and the mask from the ucontext', () => {
    const back = new CpuContext();
    const m = decodeUcontext(bytes.subarray(uc), back);
    expect(m).toEqual({ lo: 0x4001, hi: 0x8000_0000 });
    expect([...back.x]).toEqual([...ctx.x]);
    expect([...back.v]).toEqual([...ctx.v]);
    expect([back.pc, back.nzcv, back.fpcr, back.fpsr]).toEqual([ctx.pc, ctx.nzcv, ctx.fpcr, ctx.fpsr]);
  });

  it('refuses a frame whose pstate asks for EL1', () => {
    const evil = bytes.slice(uc);
    new DataView(evil.buffer).setUint32(176 + 272, 0x5, true);
    expect(decodeUcontext(evil, new CpuContext())).toBeNull();
  });

  it('places the frame 16-byte aligned with the frame record right above it', () => {
    const { frame, record } = frameAddresses(0xffff_0123);
    expect(record % 16).toBe(0);
    expect(frame % 16).toBe(0);
    expect(record).toBeLessThanOrEqual(0xffff_0123 - 16);
    expect(record - frame).toBe(FRAME_SIZE);
  });

  it('has a trampoline that is mov x8, #139; svc #0', () => {
    const w = new DataView(SIGRETURN_CODE.buffer);
    expect(w.getUint32(0, true)).toBe((0xd2800008 | (139 << 5)) >>> 0);
    expect(w.getUint32(4, true)).toBe(0xd4000001);
  });
});
