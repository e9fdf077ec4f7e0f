// FPProcessNaN(s): signalling NaNs first (raising IOC), then quiet ones, the
// first operand first; the chosen NaN is quietened, or FPCR.DN's default NaN.

import { FpEnv, FPCR_DN, IOC } from './fpcr';
import { defaultNaNBits, FpFormat } from './format';
import { FpType, Unpacked } from './unpack';

export function processNaN(fmt: FpFormat, type: FpType, bits: bigint, env: FpEnv): bigint {
  if (type === FpType.SNaN) env.fpsr |= IOC;
  if (env.fpcr & FPCR_DN) return defaultNaNBits(fmt);
  return bits | (1n << BigInt(fmt.f - 1));
}

/** The NaN result of a two-operand operation, or undefined when neither operand is a NaN. */
export function processNaNs(fmt: FpFormat, ua: Unpacked, a: bigint, ub: Unpacked, b: bigint, env: FpEnv): bigint | undefined {
  if (ua.type === FpType.SNaN) return processNaN(fmt, ua.type, a, env);
  if (ub.type === FpType.SNaN) return processNaN(fmt, ub.type, b, env);
  if (ua.type === FpType.QNaN) return processNaN(fmt, ua.type, a, env);
  if (ub.type === FpType.QNaN) return processNaN(fmt, ub.type, b, env);
  return undefined;
}

export function processNaNs3(
  fmt: FpFormat,
  ua: Unpacked,
  a: bigint,
  ub: Unpacked,
  b: bigint,
  uc: Unpacked,
  c: bigint,
  env: FpEnv,
): bigint | undefined {
  if (ua.type === FpType.SNaN) return processNaN(fmt, ua.type, a, env);
  if (ub.type === FpType.SNaN) return processNaN(fmt, ub.type, b, env);
  if (uc.type === FpType.SNaN) return processNaN(fmt, uc.type, c, env);
  if (ua.type === FpType.QNaN) return processNaN(fmt, ua.type, a, env);
  if (ub.type === FpType.QNaN) return processNaN(fmt, ub.type, b, env);
  if (uc.type === FpType.QNaN) return processNaN(fmt, uc.type, c, env);
  return undefined;
}
