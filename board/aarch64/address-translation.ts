// AT S1E1R/W and S1E0R/W: a stage-1 walk whose answer goes to PAR_EL1 instead
// of faulting, encoded as QEMU 7.2 reports it for cortex-a57 (measured by the
// tlb bare-metal image): on success the MAIR attribute in bits 63:56, the
// page's PA, NS (bit 9) and the descriptor's SH (bits 8:7); on a fault F = 1
// and the fault status in bits 6:1. Bit 11 is RES1 in both. A synchronous
// external abort on the walk itself is taken as a Data Abort with CM = 1, as
// QEMU does (the Arm ARM allows either).

import type { Cpu } from './cpu';
import { Ec, esr, Fsc, GuestFault } from './exception-syndrome';
import { Access, Perm } from './mmu/types';
import { walk } from './mmu/walk';

const TWO32 = 4294967296;
const PA_LIMIT = 2 ** 48;
const PAR_RES1 = 1 << 11;
const PAR_NS = 1 << 9;
const ISS_CM = 1 << 8;
const ISS_WNR = 1 << 6;

export function addressTranslate(cpu: Cpu, va: number, acc: Access, el: number): void {
  const vm = cpu.vm;
  if (!vm.mmuEnabled) {
    // Flat mapping: Device-nGnRnE, reported with attribute 0 and SH 0.
    if (va >= 0 && va < PA_LIMIT) setSuccess(cpu, va - (va % 4096), 0, 0);
    else setFault(cpu, Fsc.AddressSize);
    return;
  }
  const r = walk(cpu.phys, vm.regs, va >>> 0, Math.floor(va / TWO32) >>> 0);
  if (!r.ok) {
    if (r.externalAbort) {
      const iss = ISS_CM | (acc === Access.Write ? ISS_WNR : 0) | (Fsc.SyncExternalOnWalk + r.level);
      throw new GuestFault(esr(Ec.DataAbortSame, iss), va);
    }
    setFault(cpu, faultStatus(r.kind) + r.level);
    return;
  }
  if ((r.perms & needed(acc, el)) === 0) {
    setFault(cpu, Fsc.Permission + r.level);
    return;
  }
  setSuccess(cpu, r.pagePa, r.attr, r.shareability);
}

function setSuccess(cpu: Cpu, pagePa: number, attr: number, sh: number): void {
  const lo = ((pagePa % TWO32) | PAR_RES1 | PAR_NS | (sh << 7)) | 0;
  const hi = (Math.floor(pagePa / TWO32) | (attr << 24)) | 0;
  cpu.sysregs.set('PAR_EL1', lo, hi);
}

function setFault(cpu: Cpu, fst: number): void {
  cpu.sysregs.set('PAR_EL1', PAR_RES1 | (fst << 1) | 1, 0);
}

function needed(acc: Access, el: number): number {
  if (acc === Access.Write) return el === 0 ? Perm.El0Write : Perm.El1Write;
  return el === 0 ? Perm.El0Read : Perm.El1Read;
}

function faultStatus(kind: string): number {
  if (kind === 'translation') return Fsc.Translation;
  if (kind === 'access-flag') return Fsc.AccessFlag;
  if (kind === 'permission') return Fsc.Permission;
  return Fsc.AddressSize;
}
