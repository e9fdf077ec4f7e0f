// FBLD and FBSTP: 18-digit packed BCD with a sign byte (a slow path on
// BigInt: these only run in decimal conversions).

import { IE, R80, setR80, X87Env } from './float80';
import { fromInt64, toInt } from './convert80';

const MAX = 999999999999999999n;

/** FBLD: R80 = the packed decimal in bytes[0..9], exactly. */
export function fromBcd(bytes: ArrayLike<number>): void {
  let v = 0n;
  for (let i = 8; i >= 0; i--) v = v * 100n + BigInt((bytes[i] >>> 4) * 10 + (bytes[i] & 15));
  const neg = (bytes[9] & 0x80) !== 0;
  if (v === 0n) {
    setR80(neg ? 0x8000 : 0, 0, 0);
    return;
  }
  const s = neg ? -v : v;
  fromInt64(Number(BigInt.asIntN(32, s)), Number(BigInt.asIntN(32, s >> 32n)));
}

/** FBSTP: the value rounded by RC as packed BCD into out[0..9]; false when nothing is stored. */
export function toBcd(env: X87Env, se: number, hi: number, lo: number, out: Uint8Array): boolean {
  const before = env.fsw;
  if (!toInt(env, se, hi, lo, 64, false)) return false;
  let v = BigInt.asIntN(64, (BigInt(R80[1]) << 32n) | BigInt(R80[0] >>> 0));
  const neg = v < 0n || (v === 0n && (se & 0x8000) !== 0);
  if (v < 0n) v = -v;
  if (env.fsw & ~before & IE) v = -1n; // toInt's integer indefinite
  else if (v > MAX) {
    env.fsw = before | IE;
    if (!(env.fcw & IE)) return false;
    v = -1n;
  }
  if (v < 0n) {
    out.fill(0, 0, 7);
    out[7] = 0xc0;
    out[8] = 0xff;
    out[9] = 0xff;
    return true;
  }
  for (let i = 0; i < 9; i++) {
    const d = Number(v % 100n);
    v /= 100n;
    out[i] = ((d / 10) << 4) | d % 10;
  }
  out[9] = neg ? 0x80 : 0;
  return true;
}
