import type { X86Row } from '../decoder';
export const sseStringRows: X86Row[] = [];
