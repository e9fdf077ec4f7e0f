// MXCSR as the SSE floating-point operations see it: the control word of the
// running instruction and the exception flags it has raised so far. An
// instruction calls mxBegin, runs its lanes (each may add flags), then
// mxEnd decides: every raised exception masked -> flags become sticky in
// MXCSR and the result is written; any unmasked one -> #XM, destination kept.

import { Misc, type X86CpuState } from './cpu-state';
import { Rounding } from '../aarch64/fp/fpcr';

export const IE = 1 << 0;
export const DE = 1 << 1;
export const ZE = 1 << 2;
export const OE = 1 << 3;
export const UE = 1 << 4;
export const PE = 1 << 5;
export const DAZ = 1 << 6;
export const MASK_SHIFT = 7;
export const UM = UE << MASK_SHIFT;
export const OM = OE << MASK_SHIFT;
export const RC_SHIFT = 13;
export const RC_MASK = 3 << RC_SHIFT;
export const FTZ = 1 << 15;
/** Bits a program may set in MXCSR (LDMXCSR of anything else is #GP). */
export const MXCSR_MASK = 0xffff;
export const MXCSR_DEFAULT = 0x1f80;
/** The #XM exception vector (SIMD floating-point exception; Linux: SIGFPE). */
export const XM_VECTOR = 19;

/** The running instruction's MXCSR (`ctl`) and the flags its lanes raised (`flags`). */
export const MX = { ctl: MXCSR_DEFAULT, flags: 0, done: 0 };

/** x86 RC (nearest, down, up, zero) to the FP library's rounding modes. */
const RC_TO_ROUNDING: readonly Rounding[] = [Rounding.TieEven, Rounding.NegInf, Rounding.PosInf, Rounding.Zero];

export function mxRounding(): Rounding {
  return RC_TO_ROUNDING[(MX.ctl >>> RC_SHIFT) & 3];
}

export function roundingOfRc(rc: number): Rounding {
  return RC_TO_ROUNDING[rc & 3];
}

/** True when the native (round-to-nearest) fast paths apply. */
export function mxNearest(): boolean {
  return (MX.ctl & RC_MASK) === 0;
}

export function mxBegin(s: X86CpuState): void {
  MX.ctl = s.misc[Misc.Mxcsr];
  MX.flags = 0;
  MX.done = 0;
}

/**
 * Ends one step of a multi-step instruction (DPPS: multiply, then add): its
 * flags are reported whatever a later step raises. False when the step raised
 * an unmasked exception (call mxEnd then).
 */
export function mxStep(): boolean {
  if (mxFaulted()) return false;
  MX.done |= MX.flags;
  MX.flags = 0;
  return true;
}

/**
 * Ends an instruction: 0 when its result may be written (flags made sticky),
 * XM_VECTOR when an unmasked exception was raised. Then, as the hardware does,
 * an unmasked pre-computation exception (IE, DE, ZE) reports only those
 * flags; otherwise every raised flag is reported.
 */
/** True when a lane raised an exception that is unmasked (the instruction will fault). */
export function mxFaulted(): boolean {
  return (MX.flags & ~(MX.ctl >>> MASK_SHIFT) & 0x3f) !== 0;
}

export function mxEnd(s: X86CpuState): number {
  const f = MX.flags;
  const ctl = MX.ctl;
  const unmasked = ~(ctl >>> MASK_SHIFT) & 0x3f;
  if ((f & unmasked) === 0) {
    if ((f | MX.done) !== 0) s.misc[Misc.Mxcsr] = ctl | f | MX.done;
    return 0;
  }
  const pre = f & (IE | DE | ZE);
  s.misc[Misc.Mxcsr] = ctl | MX.done | (pre & unmasked ? pre : f);
  return XM_VECTOR;
}
