// The x87 rows (D8..DF, 9B WAIT, and the 0F forms FCMOVcc/FCOMI live in
// D8..DF too). Owned by the x86-x87 branch: it fills this list.

import type { X86Row } from '../decoder';

export const x87Rows: X86Row[] = [];
