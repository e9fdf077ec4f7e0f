// Mixed groups: the instructions of the single-topic groups interleaved in
// longer blocks, so flags cross from one family to another (COMISS or PTEST
// into ADC and CMOVcc, FCOMI into SETcc, shifts into SBB...), which is where a
// lazy-flags implementation shows its seams. Left out: the string group (its
// registers are reserved), branches, PUSH/POP (RSP stays put for [rsp+disp]),
// and BSF/BSR (their undefined-destination rule needs the bit-cond group's
// bookkeeping of written registers). SSE4.2 (PCMPxSTRx, CRC32) is mixed in
// only with the x87 in mixed-x87, so mixed compares what is implemented today.

import { Op, X86Group } from './generator';
import { BIT_COND, bitScan, INT_ALU, MUL_DIV, SHIFT_ROTATE } from './groups-int';
import { MOVE, pushPop } from './groups-move';
import { SSE42, SSE_FP, SSE_INT } from './groups-sse';
import { X87 } from './groups-x87';

const without = (ops: Array<[number, Op]>, ...drop: Op[]) => ops.filter(([, op]) => !drop.includes(op));

const INTEGER: Array<[number, Op]> = [
  ...INT_ALU.ops, ...SHIFT_ROTATE.ops, ...MUL_DIV.ops, ...without(BIT_COND.ops, bitScan), ...without(MOVE.ops, pushPop),
];
const SSE: Array<[number, Op]> = [...SSE_FP.ops, ...SSE_INT.ops];

export const MIXED: X86Group = {
  name: 'mixed', blockLength: 24, cases: 1200, state: { unmaskX87: 0, unmaskSse: 0.05 }, rspBase: true, implicit: 0xf,
  ops: [...INTEGER, ...SSE],
  setup: SSE42.setup,
};

export const MIXED_X87: X86Group = {
  name: 'mixed-x87', blockLength: 24, cases: 1200, state: { unmaskX87: 0.05, unmaskSse: 0.05 }, rspBase: true, implicit: 0xf,
  ops: [...INTEGER, ...SSE, ...SSE42.ops, ...X87.ops],
  setup: SSE42.setup,
};
