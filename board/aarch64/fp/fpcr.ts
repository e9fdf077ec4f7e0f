// FPCR controls and FPSR cumulative exception flags, as the FP library sees them.

/** Where an operation reads FPCR and accumulates FPSR flags (the Cpu satisfies this). */
export interface FpEnv {
  fpcr: number;
  fpsr: number;
}

export const FPCR_AHP = 1 << 26;
export const FPCR_DN = 1 << 25;
export const FPCR_FZ = 1 << 24;
export const FPCR_RMODE_SHIFT = 22;
export const FPCR_FZ16 = 1 << 19;

/** FPSR cumulative flags. */
export const IOC = 1 << 0;
export const DZC = 1 << 1;
export const OFC = 1 << 2;
export const UFC = 1 << 3;
export const IXC = 1 << 4;
export const IDC = 1 << 7;

/** Rounding modes: the first four are FPCR.RMode's encodings. */
export const enum Rounding {
  TieEven = 0,
  PosInf = 1,
  NegInf = 2,
  Zero = 3,
  TieAway = 4,
}

export function fpcrRounding(fpcr: number): Rounding {
  return (fpcr >>> FPCR_RMODE_SHIFT) & 3;
}

/** FPCR bits that leave the native-double fast paths correct for single and double. */
export const SLOW_FPCR = FPCR_DN | FPCR_FZ | (3 << FPCR_RMODE_SHIFT);
