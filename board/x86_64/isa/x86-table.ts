// Every instruction group's rows joined into the decode table.

import { X86DecodeTable, X86Row } from '../decoder';
import { aluRowsList } from './alu';
import { atomicRows } from './atomics';
import { bitRows } from './bit-ops';
import { controlRows } from './control';
import { moveRows } from './moves';
import { mulDivRows } from './mul-div';
import { shiftRows } from './shift-rotate';
import { mmxRows } from './mmx-rows';
import { sseRows } from './sse-rows';
import { stackRows } from './stack';
import { stringRows } from './strings';
import { systemRows } from './system';
import { x87Rows } from './x87-rows';

export const integerRows: readonly X86Row[] = [
  ...aluRowsList,
  ...shiftRows,
  ...mulDivRows,
  ...bitRows,
  ...moveRows,
  ...stackRows,
  ...controlRows,
  ...stringRows,
  ...atomicRows,
  ...systemRows,
];

let cached: X86DecodeTable | undefined;

/** The table is immutable once built: every CPU shares it. */
export function x86Table(): X86DecodeTable {
  cached ??= new X86DecodeTable([...integerRows, ...x87Rows, ...sseRows, ...mmxRows]);
  return cached;
}
