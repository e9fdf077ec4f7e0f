// Every group the x86-64 RISU test draws from (see docs/x86-risu.md).

import { X86Group } from './generator';
import { BIT_COND, INT_ALU, MUL_DIV, SHIFT_ROTATE } from './groups-int';
import { MIXED, MIXED_X87 } from './groups-mixed';
import { MMX } from './groups-mmx';
import { BRANCH, MOVE, STRING } from './groups-move';
import { SSE42, SSE_FP, SSE_INT } from './groups-sse';
import { X87 } from './groups-x87';

export const GROUPS: X86Group[] = [INT_ALU, SHIFT_ROTATE, MUL_DIV, BIT_COND, MOVE, STRING, BRANCH, X87, SSE_FP, SSE_INT, SSE42, MMX, MIXED, MIXED_X87];
