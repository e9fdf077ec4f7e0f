// Page-fault resolution in the kernel: demand paging, copy-on-write and the
// access flag. Anything else becomes a report the process layer turns into a signal.

import type { PageFault } from '../arch/arch';
import type { MmCounters } from './mm-stats';
import type { Perms } from './region';
import type { VSpace } from './vspace';

export type FaultAction = 'demand' | 'cow-copy' | 'cow-handover' | 'cow-reuse' | 'access-flag' | 'spurious';

export interface FaultReport {
  readonly address: number;
  /** bus: the page lies past what the object's pager can supply (a file mapping past the file's end). */
  readonly kind: 'unmapped' | 'permission' | 'kernel' | 'bus';
  readonly reason: string;
}

export type FaultOutcome = { readonly resolved: true; readonly action: FaultAction } | { readonly resolved: false; readonly report: FaultReport };

function allowed(p: Perms, access: PageFault['access']): boolean {
  if (access === 'write') return p.write;
  if (access === 'fetch') return p.exec;
  return p.read || p.write || p.exec;
}

function refuse(counters: MmCounters, address: number, kind: FaultReport['kind'], reason: string): FaultOutcome {
  counters.faultsUnresolved++;
  return { resolved: false, report: { address, kind, reason } };
}

const TWO32 = 4294967296;

/**
 * Asked when a user access hits no region: a personality may map one there
 * (Linux grows a MAP_GROWSDOWN mapping down to the address) and answer true.
 */
export const unmappedFaultHooks: ((vs: VSpace, address: number) => boolean)[] = [];

/** A virtual address (signed for the upper half, kernel/arch/arch.ts) as unsigned 64-bit hex: -0x9fffc4 is 0xffffffffff60003c. */
export function formatVa(address: number): string {
  if (address >= 0) return `0x${address.toString(16)}`;
  const hi = Math.floor(address / TWO32);
  const lo = address - hi * TWO32;
  return `0x${(hi >>> 0).toString(16)}${lo.toString(16).padStart(8, '0')}`;
}

export function resolveFault(vs: VSpace, pf: PageFault, counters: MmCounters): FaultOutcome {
  // Formatted only for a refusal's message: a resolved fault (the common case) never needs it.
  const hex = (): string => formatVa(pf.address);
  if (!pf.user) return refuse(counters, pf.address, 'kernel', `kernel ${pf.access} fault at ${hex()}`);
  let region = vs.findRegion(pf.address);
  if (!region && unmappedFaultHooks.some((grow) => grow(vs, pf.address))) region = vs.findRegion(pf.address);
  if (!region) return refuse(counters, pf.address, 'unmapped', `${pf.access} at ${hex()}: no mapping there`);
  if (region.mo.isDestroyed) return refuse(counters, pf.address, 'unmapped', `${pf.access} at ${hex()}: its MemoryObject was destroyed`);
  if (!allowed(region.perms, pf.access)) {
    return refuse(counters, pf.address, 'permission', `${pf.access} at ${hex()}: ${region.kind} region does not allow it`);
  }
  const va = pf.address - (pf.address % vs.pageSize);
  const page = region.moPage + (va - region.start) / vs.pageSize;
  const extent = region.mo.extent;
  if (extent && page >= extent()) return refuse(counters, pf.address, 'bus', `${pf.access} at ${hex()}: past the end of the object's pager (${extent()} pages)`);
  if (pf.kind === 'access-flag' && vs.markAccessed(va)) {
    counters.faultsAccessFlag++;
    return { resolved: true, action: 'access-flag' };
  }
  if (pf.access === 'write') {
    const split = vs.splitWriteProtection(va);
    if (split > 0) {
      counters.writeProtectSplits++;
      counters.splitEntries += split;
    }
    const { pa, how } = region.mo.resolveWrite(page);
    vs.installPage(va, region, pa, true, false);
    const action: FaultAction = how === 'copy' ? 'cow-copy' : how === 'handover' ? 'cow-handover' : how === 'demand' ? 'demand' : pf.kind === 'permission' ? 'cow-reuse' : 'demand';
    if (action === 'demand') counters.faultsDemand++;
    else counters.faultsCow++;
    return { resolved: true, action };
  }
  if (pf.kind === 'permission') {
    // The entry already allows this access: a stale TLB entry.
    counters.faultsSpurious++;
    return { resolved: true, action: 'spurious' };
  }
  const { pa, writable } = region.mo.resolveRead(page);
  // Not writable: the frame is shared copy-on-write with other objects (a fork's), and its mappings multiply.
  vs.installPage(va, region, pa, region.perms.write && writable, region.perms.write && !writable, !writable);
  counters.faultsDemand++;
  return { resolved: true, action: 'demand' };
}
