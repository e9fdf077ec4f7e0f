// Every instruction group's rows joined into the decode table.

import { X86DecodeTable, X86Row } from '../decoder';
import { aluRowsList } from './alu';
import { controlRows } from './control';
import { moveRows } from './moves';
import { sseRows } from './sse-rows';
import { stackRows } from './stack';
import { systemRows } from './system';
import { x87Rows } from './x87-rows';

export const integerRows: readonly X86Row[] = [...aluRowsList, ...moveRows, ...stackRows, ...controlRows, ...systemRows];

let cached: X86DecodeTable | undefined;

/** The table is immutable once built: every CPU shares it. */
export function x86Table(): X86DecodeTable {
  cached ??= new X86DecodeTable([...integerRows, ...x87Rows, ...sseRows]);
  return cached;
}
