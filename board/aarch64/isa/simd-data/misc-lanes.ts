// Element functions of the AdvSIMD two-register miscellaneous integer ops:
// one for 8/16/32-bit lanes (exact doubles; stores wrap) and one for 64-bit
// lanes on (lo, hi) pairs with the result in R.

import { add64, R } from '../../int64';
import { sat, satRange, signedMax, signedMin, unsignedMax } from './lanes';

export type MiscKind = 'suqadd' | 'usqadd' | 'cls' | 'clz' | 'cnt' | 'not' | 'rbit' | 'sqabs' | 'sqneg' | 'abs' | 'neg' | 'cmgt' | 'cmge' | 'cmeq' | 'cmle' | 'cmlt';

export type LaneFn = (x: number, d: number) => number;
export type PairFn = (lo: number, hi: number, dlo: number, dhi: number) => void;

export const POP8 = Uint8Array.from({ length: 256 }, (_, i) => {
  let c = 0;
  for (let v = i; v !== 0; v >>= 1) c += v & 1;
  return c;
});

export const RBIT8 = Uint8Array.from({ length: 256 }, (_, i) => {
  let r = 0;
  for (let b = 0; b < 8; b++) r |= ((i >> b) & 1) << (7 - b);
  return r;
});

/** Whether the source lanes are read signed; SUQADD reads Vn unsigned and Vd signed, USQADD the reverse. */
export function signedSource(kind: MiscKind): boolean {
  return kind !== 'suqadd' && kind !== 'clz' && kind !== 'cnt' && kind !== 'not' && kind !== 'rbit';
}

export function miscLane(kind: MiscKind, size: number): LaneFn {
  const e = 8 << size;
  const smin = signedMin(size);
  const smax = signedMax(size);
  const umax = unsignedMax(size);
  switch (kind) {
    case 'suqadd':
      // d is read unsigned from the register: reinterpret it as signed.
      return (x, d) => satRange((d > smax ? d - umax - 1 : d) + x, smin, smax);
    case 'usqadd':
      return (x, d) => satRange(d + x, 0, umax);
    case 'cls':
      return (x) => Math.clz32(x ^ (x >> 31)) - (32 - e) - 1;
    case 'clz':
      return (x) => Math.clz32(x) - (32 - e);
    case 'cnt':
      return (x) => POP8[x];
    case 'not':
      return (x) => ~x;
    case 'rbit':
      return (x) => RBIT8[x];
    case 'sqabs':
      return (x) => satRange(Math.abs(x), smin, smax);
    case 'sqneg':
      return (x) => satRange(-x, smin, smax);
    case 'abs':
      return (x) => Math.abs(x);
    case 'neg':
      return (x) => -x;
    case 'cmgt':
      return (x) => (x > 0 ? -1 : 0);
    case 'cmge':
      return (x) => (x >= 0 ? -1 : 0);
    case 'cmeq':
      return (x) => (x === 0 ? -1 : 0);
    case 'cmle':
      return (x) => (x <= 0 ? -1 : 0);
    default:
      return (x) => (x < 0 ? -1 : 0);
  }
}

function neg64(lo: number, hi: number): void {
  add64(~lo, ~hi, 0, 0, 1);
}

function setMax(): void {
  sat[0] = 1;
  R[0] = -1;
  R[1] = 0x7fffffff;
}

function compare64(lo: number, hi: number, kind: MiscKind): void {
  const zero = (lo | hi) === 0;
  const neg = hi < 0;
  let t: boolean;
  if (kind === 'cmgt') t = !neg && !zero;
  else if (kind === 'cmge') t = !neg;
  else if (kind === 'cmeq') t = zero;
  else if (kind === 'cmle') t = neg || zero;
  else t = neg;
  R[0] = R[1] = t ? -1 : 0;
}

/** 64-bit lanes; CLS/CLZ/CNT/NOT/RBIT have no 64-bit form. */
export function miscPair(kind: MiscKind): PairFn {
  switch (kind) {
    case 'suqadd':
      return (lo, hi, dlo, dhi) => {
        add64(dlo, dhi, lo, hi, 0);
        if ((dhi >= 0 && (hi < 0 || R[1] < 0)) || (dhi < 0 && hi < 0 && R[1] < 0)) setMax();
      };
    case 'usqadd':
      return (lo, hi, dlo, dhi) => {
        const c = add64(dlo, dhi, lo, hi, 0);
        if (hi < 0 && c === 0) {
          sat[0] = 1;
          R[0] = R[1] = 0;
        } else if (hi >= 0 && c === 1) {
          sat[0] = 1;
          R[0] = R[1] = -1;
        }
      };
    case 'sqabs':
    case 'sqneg':
    case 'abs':
    case 'neg':
      return (lo, hi) => {
        if (kind === 'sqabs' || kind === 'abs' ? hi >= 0 : false) {
          R[0] = lo;
          R[1] = hi;
          return;
        }
        if (lo === 0 && hi === -0x80000000 && kind[0] === 's') {
          setMax();
          return;
        }
        neg64(lo, hi);
      };
    default:
      return (lo, hi) => compare64(lo, hi, kind);
  }
}
