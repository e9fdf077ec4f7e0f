// The SSE..SSE4.2 rows (0F, 0F38, 0F3A maps with their mandatory prefixes,
// LDMXCSR/STMXCSR; FXSAVE/FXRSTOR are x87 rows, POPCNT an integer bit-op).
//
// Every row declares its flag use for the block's dead-flag pass. Integer,
// move and string rows touch no flag, except PTEST and PCMPxSTRx, which write
// all six. The floating-point rows can raise #XM even in register form, and a
// fault must show the flags as they were: they count as reading all six (and
// (U)COMISS/SD also write them).

import type { FlagUse, X86Row } from '../decoder';
import { sseFpRows } from './sse-rows-fp';
import { sseIntRows } from './sse-rows-int';
import { sseMoveRows } from './sse-rows-moves';
import { sseStringRows } from './sse-rows-string';

const ARITH = 0x8d5;
const NO_FLAGS: FlagUse = { writes: 0, reads: 0 };
const SETS_FLAGS: FlagUse = { writes: ARITH, reads: 0 };
const MAY_FAULT: FlagUse = { writes: 0, reads: ARITH };
const MAY_FAULT_SETS_FLAGS: FlagUse = { writes: ARITH, reads: ARITH };
const FLAG_WRITERS = new Set(['UCOMISS', 'COMISS', 'UCOMISD', 'COMISD', 'PTEST', 'PCMPESTRM', 'PCMPESTRI', 'PCMPISTRM', 'PCMPISTRI']);

function declare(rows: X86Row[], mayFault: boolean): X86Row[] {
  return rows.map((r) => {
    const writes = FLAG_WRITERS.has(r.name);
    const use = mayFault ? (writes ? MAY_FAULT_SETS_FLAGS : MAY_FAULT) : writes ? SETS_FLAGS : NO_FLAGS;
    return { ...r, flagUse: () => use };
  });
}

export const sseRows: X86Row[] = [...declare(sseMoveRows, false), ...declare(sseFpRows, true), ...declare(sseIntRows, false), ...declare(sseStringRows, false)];
