// AdvSIMD across lanes, integer forms (Arm ARM C4.1.96): ADDV, SADDLV/UADDLV,
// SMAXV/UMAXV, SMINV/UMINV. The floating-point reductions are left to their own lines.

import { bit, bits, Encoding, Handler } from '../../decoder';
import { across } from './lane-drivers';

type Reduce = (acc: number, x: number) => number;

function handler(signed: boolean, widen: boolean, fn: Reduce): Handler {
  return (insn, ctx) => {
    const size = bits(insn, 23, 22);
    const q = bit(insn, 30);
    if (size === 3 || (size === 2 && q === 0)) return null;
    const esize = 8 << size;
    const count = (64 << q) / esize;
    const p = { cpu: ctx.cpu, esize, count, signed, d: bits(insn, 4, 0), n: bits(insn, 9, 5), m: 0, bIndex: -1 };
    return across(p, widen ? 2 * esize : esize, fn);
  };
}

const add: Reduce = (acc, x) => acc + x;
const max: Reduce = (acc, x) => (x > acc ? x : acc);
const min: Reduce = (acc, x) => (x < acc ? x : acc);

export const acrossLanes: Encoding[] = [
  { name: 'SADDLV', pattern: '0q001110 ss 11000 00011 10 nnnnn ddddd', handler: handler(true, true, add) },
  { name: 'UADDLV', pattern: '0q101110 ss 11000 00011 10 nnnnn ddddd', handler: handler(false, true, add) },
  { name: 'SMAXV', pattern: '0q001110 ss 11000 01010 10 nnnnn ddddd', handler: handler(true, false, max) },
  { name: 'UMAXV', pattern: '0q101110 ss 11000 01010 10 nnnnn ddddd', handler: handler(false, false, max) },
  { name: 'SMINV', pattern: '0q001110 ss 11000 11010 10 nnnnn ddddd', handler: handler(true, false, min) },
  { name: 'UMINV', pattern: '0q101110 ss 11000 11010 10 nnnnn ddddd', handler: handler(false, false, min) },
  { name: 'ADDV', pattern: '0q001110 ss 11000 11011 10 nnnnn ddddd', handler: handler(false, false, add) },
];
