// The page the kernel maps into every process holding the sigreturn
// trampoline; a handler returns there (x30) when no SA_RESTORER was given.

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryManager } from '../mm/memory-manager';
import type { VSpace } from '../mm/vspace';
import { SIGRETURN_CODE } from './signal-frame';

export const SIGRETURN_PAGE = 0x0000_ffff_ffff_e000;
export const SIGRETURN_ADDRESS = SIGRETURN_PAGE;

export function mapSigreturnPage(mm: MemoryManager, vs: VSpace): void {
  const mo = mm.createMemoryObject(1, (_page, bytes) => bytes.set(SIGRETURN_CODE));
  vs.map(SIGRETURN_PAGE, PAGE_SIZE, mo, 0, { read: true, write: false, exec: true }, 'text');
}
