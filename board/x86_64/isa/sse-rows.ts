// The SSE..SSE4.2 rows (0F, 0F38, 0F3A maps with their mandatory prefixes,
// LDMXCSR/STMXCSR; FXSAVE/FXRSTOR are x87 rows, POPCNT an integer bit-op).
// Every row declares its flag use for the block's dead-flag pass: none,
// except (U)COMISS/SD, PTEST and PCMPxSTRx, which write all six arithmetic
// flags and read none.

import type { FlagUse, X86Row } from '../decoder';
import { sseFpRows } from './sse-rows-fp';
import { sseIntRows } from './sse-rows-int';
import { sseMoveRows } from './sse-rows-moves';
import { sseStringRows } from './sse-rows-string';

const NO_FLAGS: FlagUse = { writes: 0, reads: 0 };
const SETS_FLAGS: FlagUse = { writes: 0x8d5, reads: 0 };
const FLAG_WRITERS = new Set(['UCOMISS', 'COMISS', 'UCOMISD', 'COMISD', 'PTEST', 'PCMPESTRM', 'PCMPESTRI', 'PCMPISTRM', 'PCMPISTRI']);

export const sseRows: X86Row[] = [...sseMoveRows, ...sseFpRows, ...sseIntRows, ...sseStringRows].map((r) => {
  const use = FLAG_WRITERS.has(r.name) ? SETS_FLAGS : NO_FLAGS;
  return { ...r, flagUse: () => use };
});
