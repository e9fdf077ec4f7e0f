// The page the kernel maps into every process holding the arch's sigreturn
// trampoline (arm64: a handler returns there when no SA_RESTORER was given).

import { PAGE_SIZE } from '../arch/arch';
import type { MemoryManager } from '../mm/memory-manager';
import type { VSpace } from '../mm/vspace';

export function mapSigreturnPage(mm: MemoryManager, vs: VSpace, trampoline: { readonly address: number; readonly code: Uint8Array }): void {
  const mo = mm.createMemoryObject(1, (_page, bytes) => bytes.set(trampoline.code));
  vs.map(trampoline.address, PAGE_SIZE, mo, 0, { read: true, write: false, exec: true }, 'text');
}
