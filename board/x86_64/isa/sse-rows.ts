// The SSE..SSE4.2 rows (0F, 0F38, 0F3A maps with their mandatory prefixes,
// FXSAVE/FXRSTOR/LDMXCSR/STMXCSR; POPCNT stays in the integer bit-ops group).

import type { X86Row } from '../decoder';
import { sseFpRows } from './sse-rows-fp';
import { sseIntRows } from './sse-rows-int';
import { sseMoveRows } from './sse-rows-moves';
import { sseStringRows } from './sse-rows-string';

export const sseRows: X86Row[] = [...sseMoveRows, ...sseFpRows, ...sseIntRows, ...sseStringRows];
