// The SSE..SSE4.2 rows (0F, 0F38, 0F3A maps with their mandatory prefixes,
// FXSAVE/FXRSTOR/LDMXCSR/STMXCSR, POPCNT stays in the integer bit-ops group).
// Owned by the x86-sse branch: it fills this list.

import type { X86Row } from '../decoder';

export const sseRows: X86Row[] = [];
