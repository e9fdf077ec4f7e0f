// FLDPI, FLDL2T, FLDL2E, FLDLG2, FLDLN2: constants held to 128 bits and
// rounded to 64 by the rounding control (precision control does not apply,
// no exception is raised).

import { fcwRounding, Rc, setR80, X87Env } from './float80';

/** [significand words from the top (4 x 32 bits), unbiased exponent]. */
const TABLE: Record<string, [number, number, number, number, number]> = {
  l2t: [0xd49a784b, 0xcd1b8afe, 0x492bf6ff, 0x4dafdb4c, 1],
  l2e: [0xb8aa3b29, 0x5c17f0bb, 0xbe87fed0, 0x691d3e88, 0],
  pi: [0xc90fdaa2, 0x2168c234, 0xc4c6628b, 0x80dc1cd1, 1],
  lg2: [0x9a209a84, 0xfbcff798, 0x8f8959ac, 0x0b7c9178, -2],
  ln2: [0xb17217f7, 0xd1cf79ab, 0xc9e3b398, 0x03f2f6af, -1],
};

export type ConstantName = keyof typeof TABLE;

/** R80 = the named positive constant rounded by env's RC. */
export function loadConstant(env: X87Env, name: ConstantName): void {
  const [w3, w2, w1, w0, e] = TABLE[name];
  const rc = fcwRounding(env.fcw);
  const half = (w1 & 0x80000000) !== 0;
  const sticky = (w1 & 0x7fffffff) !== 0 || w0 !== 0;
  const up = rc === Rc.Nearest ? half && (sticky || (w2 & 1) !== 0) : rc === Rc.Up;
  let lo = w2;
  let hi = w3;
  if (up) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
  setR80(e + 16383, hi | 0, lo | 0);
}
