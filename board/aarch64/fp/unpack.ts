// FPUnpack: a bit pattern to its class, sign and exact value, flushing input
// denormals to zero under FPCR.FZ (raising IDC) or FPCR.FZ16 (no flag).

import { FpEnv, FPCR_FZ, FPCR_FZ16, IDC } from './fpcr';
import { FpFormat } from './format';

export const enum FpType {
  Zero = 0,
  Nonzero = 1,
  Infinity = 2,
  QNaN = 3,
  SNaN = 4,
}

export interface Unpacked {
  type: FpType;
  sign: number;
  /** For Nonzero: the value is mant * 2^exp (mant > 0). */
  mant: bigint;
  exp: number;
  /** The exact value as a JS number (every half, single and double value is one); 0 for NaNs. */
  value: number;
}

export function isNaNType(t: FpType): boolean {
  return t >= FpType.QNaN;
}

/**
 * `fpcr` is passed apart from env because conversions unpack with FZ16 ignored.
 * `altHp` reads half precision as the alternative format (no infinities or NaNs).
 */
export function unpack(fmt: FpFormat, bits: bigint, env: FpEnv, fpcr: number, altHp = false): Unpacked {
  const f = fmt.f;
  const sign = Number((bits >> BigInt(fmt.n - 1)) & 1n);
  const biased = Number((bits >> BigInt(f)) & BigInt((1 << fmt.e) - 1));
  const frac = bits & ((1n << BigInt(f)) - 1n);
  if (biased === 0) {
    if (frac === 0n) return special(FpType.Zero, sign, sign ? -0 : 0);
    const flush = fmt.ieeeHalf ? (fpcr & FPCR_FZ16) !== 0 : (fpcr & FPCR_FZ) !== 0;
    if (flush) {
      if (fmt.n !== 16) env.fpsr |= IDC;
      return special(FpType.Zero, sign, sign ? -0 : 0);
    }
    return nonzero(sign, frac, 1 - fmt.bias - f);
  }
  if (biased === (1 << fmt.e) - 1 && !(altHp && fmt.ieeeHalf)) {
    if (frac === 0n) return special(FpType.Infinity, sign, sign ? -Infinity : Infinity);
    return special((frac >> BigInt(f - 1)) & 1n ? FpType.QNaN : FpType.SNaN, sign, 0);
  }
  return nonzero(sign, frac | (1n << BigInt(f)), biased - fmt.bias - f);
}

function special(type: FpType, sign: number, value: number): Unpacked {
  return { type, sign, mant: 0n, exp: 0, value };
}

function nonzero(sign: number, mant: bigint, exp: number): Unpacked {
  const magnitude = Number(mant) * 2 ** exp;
  return { type: FpType.Nonzero, sign, mant, exp, value: sign ? -magnitude : magnitude };
}
