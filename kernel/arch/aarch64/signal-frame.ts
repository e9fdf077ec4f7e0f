// The arm64 Linux signal frame: siginfo, then a ucontext whose mcontext holds
// fault_address, x0-x30, sp, pc, pstate and a 4096-byte record area (an
// fpsimd record, then a null record); above it a frame record (fp, lr).
// glibc passes no SA_RESTORER here: a handler returns to the kernel's
// trampoline page unless one is given.

import type { ArchSignals, SignalFrameRequest } from '../arch-cpu';
import type { A64Context } from './user-context';

/** siginfo_t's size (its bytes come from the Linux personality). */
export const SIGINFO_SIZE = 128;
const UC_STACK = 16;
const UC_SIGMASK = 40;
const UC_MCONTEXT = 176;
const MC_FAULT = 0;
const MC_REGS = 8;
const MC_SP = 256;
const MC_PC = 264;
const MC_PSTATE = 272;
const MC_RESERVED = 288;
const RESERVED_SIZE = 4096;
export const UCONTEXT_SIZE = UC_MCONTEXT + MC_RESERVED + RESERVED_SIZE;
export const FRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE;
const FPSIMD_MAGIC = 0x46508001;
const FPSIMD_SIZE = 528;
const TWO32 = 4294967296;

function set64(v: DataView, at: number, value: number): void {
  v.setUint32(at, value % TWO32 >>> 0, true);
  v.setUint32(at + 4, Math.floor(value / TWO32) >>> 0, true);
}

function get64(v: DataView, at: number): number {
  return v.getUint32(at + 4, true) * TWO32 + v.getUint32(at, true);
}

export interface FrameInputs {
  readonly ctx: A64Context;
  /** The 128-byte siginfo_t. */
  readonly siginfo: Uint8Array;
  /** The mask to restore at sigreturn. */
  readonly mask: { readonly lo: number; readonly hi: number };
  readonly altStack: { sp: number; size: number; flags: number };
  readonly faultAddress: number;
}

/** The frame's bytes (FRAME_SIZE), to be written at the new sp. */
export function encodeFrame(f: FrameInputs): Uint8Array {
  const out = new Uint8Array(FRAME_SIZE);
  out.set(f.siginfo, 0);
  const v = new DataView(out.buffer, SIGINFO_SIZE);
  set64(v, UC_STACK, f.altStack.sp);
  v.setInt32(UC_STACK + 8, f.altStack.flags, true);
  set64(v, UC_STACK + 16, f.altStack.size);
  v.setUint32(UC_SIGMASK, f.mask.lo, true);
  v.setUint32(UC_SIGMASK + 4, f.mask.hi, true);
  const mc = UC_MCONTEXT;
  set64(v, mc + MC_FAULT, f.faultAddress);
  const x = f.ctx.x;
  for (let i = 0; i < 32; i++) {
    v.setInt32(mc + MC_REGS + 8 * i, x[2 * i], true);
    v.setInt32(mc + MC_REGS + 8 * i + 4, x[2 * i + 1], true);
  }
  set64(v, mc + MC_PC, f.ctx.pc);
  v.setUint32(mc + MC_PSTATE, f.ctx.nzcv, true);
  const r = mc + MC_RESERVED;
  v.setUint32(r, FPSIMD_MAGIC, true);
  v.setUint32(r + 4, FPSIMD_SIZE, true);
  v.setUint32(r + 8, f.ctx.fpsr, true);
  v.setUint32(r + 12, f.ctx.fpcr, true);
  out.set(f.ctx.v, SIGINFO_SIZE + r + 16);
  return out;
}

/** Restores registers from a ucontext's bytes; returns the saved mask (lo, hi), or null when the frame is malformed. */
export function decodeUcontext(uc: Uint8Array, ctx: A64Context): { lo: number; hi: number } | null {
  const v = new DataView(uc.buffer, uc.byteOffset, uc.length);
  const mc = UC_MCONTEXT;
  for (let i = 0; i < 32; i++) {
    ctx.x[2 * i] = v.getInt32(mc + MC_REGS + 8 * i, true);
    ctx.x[2 * i + 1] = v.getInt32(mc + MC_REGS + 8 * i + 4, true);
  }
  ctx.pc = get64(v, mc + MC_PC);
  if (ctx.pc >= 2 ** 63) ctx.pc -= 2 ** 64;
  const pstate = v.getUint32(mc + MC_PSTATE, true);
  if ((pstate & 0xf) !== 0) return null; // a return to EL1 is refused
  ctx.nzcv = pstate & 0xf0000000;
  const r = mc + MC_RESERVED;
  if (v.getUint32(r, true) === FPSIMD_MAGIC && v.getUint32(r + 4, true) === FPSIMD_SIZE) {
    ctx.fpsr = v.getUint32(r + 8, true);
    ctx.fpcr = v.getUint32(r + 12, true);
    ctx.v.set(uc.subarray(r + 16, r + 16 + 512));
  }
  return { lo: v.getUint32(UC_SIGMASK, true), hi: v.getUint32(UC_SIGMASK + 4, true) };
}

/** Where the frame goes below sp: [frame, frame record] 16-byte aligned. */
export function frameAddresses(sp: number): { frame: number; record: number } {
  const record = Math.floor((sp - 16) / 16) * 16;
  return { frame: record - FRAME_SIZE, record };
}

/** mov x8, #139 (rt_sigreturn); svc #0 */
export const SIGRETURN_CODE = new Uint8Array([0x68, 0x11, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4]);

/** The kernel's trampoline page, where x30 points without SA_RESTORER: just under the stack's top. */
export const A64_SIGRETURN_ADDRESS = 0x0000_ffff_ffff_e000;

/** The arm64 frame as the arch interface's signal support. */
export const A64_SIGNALS: ArchSignals = {
  trampoline: { address: A64_SIGRETURN_ADDRESS, code: SIGRETURN_CODE },
  enterHandler(c, req: SignalFrameRequest, write) {
    const ctx = c as A64Context;
    const { frame, record } = frameAddresses(req.stackTop);
    const bytes = encodeFrame({ ctx, siginfo: req.siginfo, mask: req.mask, altStack: req.altStack, faultAddress: req.faultAddress });
    const rec = new Uint8Array(16);
    rec.set(new Uint8Array(ctx.x.buffer, 29 * 8, 16));
    write(frame, bytes);
    write(record, rec);
    ctx.setX(0, req.signo);
    ctx.setX(1, frame);
    ctx.setX(2, frame + SIGINFO_SIZE);
    ctx.setX(29, record);
    ctx.setX(30, req.restorer !== 0 ? req.restorer : A64_SIGRETURN_ADDRESS);
    ctx.setX(31, frame);
    ctx.pc = req.handler;
    return frame;
  },
  sigreturn(c, read) {
    const ctx = c as A64Context;
    const frame = ctx.getU(31);
    if (frame % 16 !== 0) return null;
    return decodeUcontext(read(frame + SIGINFO_SIZE, UCONTEXT_SIZE), ctx);
  },
};
