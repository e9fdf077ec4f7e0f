// The binary formats A64 uses (IEEE half, single, double, and BFloat16), and
// their special encodings as BigInt bit patterns (the exact slow path works on
// BigInt patterns).

export interface FpFormat {
  readonly n: 16 | 32 | 64;
  /** Exponent bits. */
  readonly e: number;
  /** Fraction bits. */
  readonly f: number;
  readonly bias: number;
  /** IEEE half precision: flushed under FPCR.FZ16 (not FZ) and subject to FPCR.AHP. */
  readonly ieeeHalf: boolean;
}

export const HALF: FpFormat = { n: 16, e: 5, f: 10, bias: 15, ieeeHalf: true };
export const SINGLE: FpFormat = { n: 32, e: 8, f: 23, bias: 127, ieeeHalf: false };
export const DOUBLE: FpFormat = { n: 64, e: 11, f: 52, bias: 1023, ieeeHalf: false };
/** BFloat16 (FEAT_BF16): single precision's exponent range with a 7-bit fraction; FZ applies, not FZ16. */
export const BFLOAT16: FpFormat = { n: 16, e: 8, f: 7, bias: 127, ieeeHalf: false };

export function signBit(fmt: FpFormat): bigint {
  return 1n << BigInt(fmt.n - 1);
}

export function zeroBits(fmt: FpFormat, sign: number): bigint {
  return sign ? signBit(fmt) : 0n;
}

export function infinityBits(fmt: FpFormat, sign: number): bigint {
  return zeroBits(fmt, sign) | (BigInt((1 << fmt.e) - 1) << BigInt(fmt.f));
}

export function maxNormalBits(fmt: FpFormat, sign: number): bigint {
  return zeroBits(fmt, sign) | (BigInt((1 << fmt.e) - 2) << BigInt(fmt.f)) | ((1n << BigInt(fmt.f)) - 1n);
}

export function defaultNaNBits(fmt: FpFormat): bigint {
  return infinityBits(fmt, 0) | (1n << BigInt(fmt.f - 1));
}

/** Number of significant bits of a positive BigInt. */
export function bitLength(v: bigint): number {
  return v.toString(2).length;
}
