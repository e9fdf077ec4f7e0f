// The x86_64 Linux signal frame (rt_sigframe): the return address the
// handler's RET pops (SA_RESTORER's, which glibc and musl always pass: x86_64
// Linux refuses to deliver without one), the ucontext (flags, link, stack,
// the 256-byte sigcontext, the mask), then siginfo; the FXSAVE-layout FP
// state sits above the frame, 64-byte aligned, and sigcontext points at it.
// Below the interrupted stack pointer the 128-byte red zone is left alone.

import { Misc, RAX, RBP, RBX, RCX, RDI, RDX, RSI, RSP } from '../../../board/x86_64/cpu-state';
import type { ArchSignals, SignalFrameRequest } from '../arch-cpu';
import { X86Context } from './user-context';

const SIGINFO_SIZE = 128;
const RED_ZONE = 128;
export const FXSAVE_SIZE = 512;
/** ucontext offsets. */
const UC_FLAGS = 0;
const UC_STACK = 16;
export const UC_MCONTEXT = 40;
export const UC_SIGMASK = 296;
const UCONTEXT_SIZE = 304;
/** rt_sigframe: pretcode, ucontext, siginfo. */
export const FRAME_UC = 8;
export const FRAME_INFO = FRAME_UC + UCONTEXT_SIZE;
export const FRAME_SIZE = FRAME_INFO + SIGINFO_SIZE;
/** sigcontext: r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags (8 bytes each), then cs, gs, fs, ss, err, trapno, oldmask, cr2, fpstate. */
export const SC_GREGS = [8, 9, 10, 11, 12, 13, 14, 15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP];
export const SC_RIP = 128;
export const SC_EFLAGS = 136;
const SC_CSGSFS = 144;
const SC_OLDMASK = 168;
const SC_CR2 = 176;
export const SC_FPSTATE = 184;
/** UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS: what Linux sets without XSAVE. */
const UC_FLAGS_VALUE = 6;
const USER_CS = 0x33;
const USER_SS = 0x2b;
/** RFLAGS bits a sigreturn may change: AC, OF, DF, TF, SF, ZF, AF, PF, CF, RF. */
const FIX_EFLAGS = 0x40dd5;
/** A handler starts with DF, TF and RF clear. */
const HANDLER_CLEARS = 0x10000 | 0x400 | 0x100;
const TWO32 = 4294967296;

function set64(v: DataView, at: number, value: number): void {
  v.setUint32(at, value % TWO32 >>> 0, true);
  v.setUint32(at + 4, Math.floor(value / TWO32) >>> 0, true);
}

function get64(v: DataView, at: number): number {
  return v.getInt32(at + 4, true) * TWO32 + v.getUint32(at, true);
}

/** The 512-byte FXSAVE image of the context's x87 and SSE state. */
export function encodeFxsave(ctx: X86Context): Uint8Array {
  const out = new Uint8Array(FXSAVE_SIZE);
  const v = new DataView(out.buffer);
  const m = ctx.state.misc;
  const top = m[Misc.FpuTop] & 7;
  v.setUint16(0, m[Misc.Fcw], true);
  v.setUint16(2, (m[Misc.Fsw] & ~0x3800) | (top << 11), true);
  out[4] = ~m[Misc.FpuEmpty] & 0xff;
  v.setUint16(6, m[Misc.Fop], true);
  v.setInt32(8, m[Misc.FipLo], true);
  v.setInt32(12, m[Misc.FipHi], true);
  v.setInt32(16, m[Misc.FdpLo], true);
  v.setInt32(20, m[Misc.FdpHi], true);
  v.setUint32(24, m[Misc.Mxcsr], true);
  v.setUint32(28, 0xffff, true);
  for (let i = 0; i < 8; i++) {
    const phys = (top + i) & 7;
    out.set(ctx.state.stb.subarray(phys * 16, phys * 16 + 10), 32 + 16 * i);
  }
  out.set(ctx.state.xb, 160);
  return out;
}

/** Loads an FXSAVE image into the context; MXCSR's reserved bits are dropped. */
export function decodeFxsave(b: Uint8Array, ctx: X86Context): void {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const m = ctx.state.misc;
  const fsw = v.getUint16(2, true);
  const top = (fsw >>> 11) & 7;
  m[Misc.Fcw] = v.getUint16(0, true);
  m[Misc.Fsw] = fsw & ~0x3800;
  m[Misc.FpuTop] = top;
  m[Misc.FpuEmpty] = ~b[4] & 0xff;
  m[Misc.Fop] = v.getUint16(6, true);
  m[Misc.FipLo] = v.getInt32(8, true);
  m[Misc.FipHi] = v.getInt32(12, true);
  m[Misc.FdpLo] = v.getInt32(16, true);
  m[Misc.FdpHi] = v.getInt32(20, true);
  m[Misc.Mxcsr] = v.getUint32(24, true) & 0xffff;
  for (let i = 0; i < 8; i++) {
    const phys = (top + i) & 7;
    ctx.state.stb.fill(0, phys * 16, phys * 16 + 16);
    ctx.state.stb.set(b.subarray(32 + 16 * i, 32 + 16 * i + 10), phys * 16);
  }
  ctx.state.xb.set(b.subarray(160, 160 + 256));
}

/** Where the FP state and the frame go below the stack top: the frame leaves rsp + 8 16-byte aligned, as after a CALL. */
export function frameAddresses(stackTop: number, onAltStack: boolean): { fpstate: number; frame: number } {
  const sp = onAltStack ? stackTop : stackTop - RED_ZONE;
  const fpstate = Math.floor((sp - FXSAVE_SIZE) / 64) * 64;
  const frame = Math.floor((fpstate - FRAME_SIZE) / 16) * 16 - 8;
  return { fpstate, frame };
}

/** The x86_64 frame as the arch interface's signal support. */
export const X86_SIGNALS: ArchSignals = {
  trampoline: null,
  enterHandler(c, req: SignalFrameRequest, write) {
    const ctx = c as X86Context;
    if (req.restorer === 0) return null;
    const { fpstate, frame } = frameAddresses(req.stackTop, req.onAltStack);
    const out = new Uint8Array(FRAME_SIZE);
    const v = new DataView(out.buffer);
    set64(v, 0, req.restorer);
    const uc = FRAME_UC;
    set64(v, uc + UC_FLAGS, UC_FLAGS_VALUE);
    set64(v, uc + UC_STACK, req.altStack.sp);
    v.setInt32(uc + UC_STACK + 8, req.altStack.flags, true);
    set64(v, uc + UC_STACK + 16, req.altStack.size);
    const sc = uc + UC_MCONTEXT;
    SC_GREGS.forEach((r, i) => set64(v, sc + 8 * i, ctx.reg(r)));
    set64(v, sc + SC_RIP, ctx.pc);
    set64(v, sc + SC_EFLAGS, ctx.rflags);
    v.setUint16(sc + SC_CSGSFS, USER_CS, true);
    v.setUint16(sc + SC_CSGSFS + 6, USER_SS, true);
    v.setUint32(sc + SC_OLDMASK, req.mask.lo, true);
    set64(v, sc + SC_CR2, req.faultAddress);
    set64(v, sc + SC_FPSTATE, fpstate);
    v.setUint32(uc + UC_SIGMASK, req.mask.lo, true);
    v.setUint32(uc + UC_SIGMASK + 4, req.mask.hi, true);
    out.set(req.siginfo, FRAME_INFO);
    write(fpstate, encodeFxsave(ctx));
    write(frame, out);
    // The handler starts with the FP state Linux gives a new one: x87 and SSE at their reset values.
    const fresh = new X86Context();
    decodeFxsave(encodeFxsave(fresh), ctx);
    ctx.setReg(RDI, req.signo);
    ctx.setReg(RSI, frame + FRAME_INFO);
    ctx.setReg(RDX, frame + FRAME_UC);
    ctx.setReg(RAX, 0);
    ctx.sp = frame;
    ctx.pc = req.handler;
    ctx.rflags = ctx.rflags & ~HANDLER_CLEARS;
    return frame;
  },
  sigreturn(c, read) {
    const ctx = c as X86Context;
    // The handler's RET popped pretcode: rsp is the ucontext.
    const ucAddr = ctx.sp;
    const uc = read(ucAddr, UCONTEXT_SIZE);
    const v = new DataView(uc.buffer, uc.byteOffset, uc.length);
    const sc = UC_MCONTEXT;
    const fp = get64(v, sc + SC_FPSTATE);
    const fx = fp !== 0 ? read(fp, FXSAVE_SIZE) : encodeFxsave(new X86Context());
    SC_GREGS.forEach((r, i) => ctx.setReg(r, get64(v, sc + 8 * i)));
    ctx.pc = get64(v, sc + SC_RIP);
    const saved = v.getUint32(sc + SC_EFLAGS, true);
    ctx.rflags = (ctx.rflags & ~FIX_EFLAGS) | (saved & FIX_EFLAGS);
    decodeFxsave(fx, ctx);
    return { lo: v.getUint32(UC_SIGMASK, true), hi: v.getUint32(UC_SIGMASK + 4, true) };
  },
};
