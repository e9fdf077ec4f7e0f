// SCVTF, UCVTF, FCVTZS and FCVTZU (vector and scalar, fixed-point by
// immediate). immh selects the precision: 001x half, 01xx single, 1xxx double;
// fbits = 2 * esize - immh:immb. immh = 0001 is not an FP form.

import { bit, bits, Encoding, Handler } from '../../decoder';
import { Rounding } from '../../fp/fpcr';
import { unaryLanes } from './lane-drivers';
import { fromInt, FpUnary, toInt } from './unary-ops';

type Maker = (fbits: number) => FpUnary;

function handler(make: Maker, esize: number, isScalar: boolean): Handler {
  return (insn, ctx) => {
    const q = bit(insn, 30);
    if (esize === 64 && !isScalar && q === 0) return null;
    const fbits = 2 * esize - bits(insn, 22, 16);
    const count = isScalar ? 1 : (q ? 128 : 64) / esize;
    return unaryLanes(ctx.cpu, make(fbits), esize, count, bits(insn, 4, 0), bits(insn, 9, 5));
  };
}

const DEFS: readonly [string, number, string, Maker][] = [
  ['SCVTF (fixed-point)', 0, '11100', (f) => fromInt(false, f)],
  ['UCVTF (fixed-point)', 1, '11100', (f) => fromInt(true, f)],
  ['FCVTZS (fixed-point)', 0, '11111', (f) => toInt(Rounding.Zero, false, f)],
  ['FCVTZU (fixed-point)', 1, '11111', (f) => toInt(Rounding.Zero, true, f)],
];

const IMMH: readonly [number, string][] = [
  [16, '001h'],
  [32, '01hh'],
  [64, '1hhh'],
];

export const fixedPointFp: Encoding[] = DEFS.flatMap(([name, u, opcode, make]) =>
  IMMH.flatMap(([esize, immh]) => [
    { name: `${name}, ${esize}-bit`, pattern: `0q${u}011110 ${immh} bbb ${opcode} 1 nnnnn ddddd`, handler: handler(make, esize, false) },
    { name: `${name}, scalar ${esize}-bit`, pattern: `01${u}111110 ${immh} bbb ${opcode} 1 nnnnn ddddd`, handler: handler(make, esize, true) },
  ]),
);
