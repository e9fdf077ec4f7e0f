// The x87 rows (D8..DF and 9B WAIT), joined from the x87 group files.

import type { X86Row } from '../decoder';
import { x87ArithRows } from './x87-arith';
import { x87ControlRows } from './x87-control';
import { x87LoadStoreRows } from './x87-load-store';
import { x87UnaryRows } from './x87-unary';

export const x87Rows: X86Row[] = [...x87ArithRows, ...x87LoadStoreRows, ...x87UnaryRows, ...x87ControlRows];
