// The arch backends the tier tests run over, each with the board walker that
// reads its hardware tables back (never the kernel's bookkeeping).

import { PhysicalMemory } from '../../board/memory/physical-memory';
import { walkX86 } from '../../board/x86_64/walker';
import { walk as walkA64 } from '../../board/aarch64/mmu/walk';
import { faultStatusCode } from '../../board/aarch64/mmu/fault-status';
import type { ArchFactory, RawFault, TableRoot, TlbHooks } from '../../kernel/arch/arch';
import { createX86Mmu } from '../../kernel/arch/x86_64/mmu';
import { createAarch64Mmu } from '../../kernel/arch/aarch64/mmu';
import { stage1Regs } from '../../kernel/arch/aarch64/translation-regime';
import { MemoryManager } from '../../kernel/mm/memory-manager';
import { assertTierInvariants } from '../../kernel/mm/tier-invariants';
import type { VSpace } from '../../kernel/mm/vspace';
import type { FaultOutcome } from '../../kernel/mm/fault';

export type Access = 'read' | 'write' | 'fetch';
export type HwWalk = { ok: true; pa: number } | { ok: false; raw: RawFault };

export interface Backend {
  readonly name: string;
  readonly factory: ArchFactory;
  /** A user-mode access through the board's walker. */
  walk(mem: PhysicalMemory, root: TableRoot, va: number, access: Access): HwWalk;
}

function rawOf(syndrome: number, address: number): RawFault {
  return { syndrome: syndrome >>> 0, addressLo: address % 2 ** 32 >>> 0, addressHi: Math.floor(address / 2 ** 32) | 0 };
}

const x86: Backend = {
  name: 'x86_64',
  factory: createX86Mmu,
  walk(mem, root, va, access) {
    const r = walkX86(mem, { cr3: root.pa, wp: true, nxe: true }, va, access, true);
    return r.ok ? { ok: true, pa: r.pa } : { ok: false, raw: rawOf(r.errorCode, r.cr2) };
  },
};

const EL0_PERM = { read: 1, write: 2, fetch: 4 } as const;

const aarch64: Backend = {
  name: 'aarch64',
  factory: createAarch64Mmu,
  walk(mem, root, va, access) {
    const r = walkA64(mem, stage1Regs(root, root), va % 2 ** 32 >>> 0, Math.floor(va / 2 ** 32) >>> 0);
    const ec = access === 'fetch' ? 0x20 : 0x24;
    const wnr = access === 'write' ? 1 << 6 : 0;
    const esr = (ec << 26) | (1 << 25) | wnr;
    if (!r.ok) return { ok: false, raw: rawOf(esr | faultStatusCode(r), va) };
    if ((r.perms & EL0_PERM[access]) === 0) {
      return { ok: false, raw: rawOf(esr | faultStatusCode({ ok: false, kind: 'permission', level: r.level }), va) };
    }
    return { ok: true, pa: r.pagePa + (va % 4096) };
  },
};

export const BACKENDS: Backend[] = [x86, aarch64];

export const RAM_BASE = 0x4000_0000;
export const RAM_SIZE = 16 * 1024 * 1024;
/** The first 1 MiB is the kernel image, the last 64 KiB a device window. */
export function newMachine(backend: Backend, maxChainDepth?: number, tlb?: TlbHooks): { mem: PhysicalMemory; mm: MemoryManager } {
  const mem = new PhysicalMemory(RAM_BASE, RAM_SIZE);
  const mm = new MemoryManager({
    ram: mem,
    arch: backend.factory,
    maxChainDepth,
    tlb,
    map: {
      ramBase: RAM_BASE,
      ramSize: RAM_SIZE,
      reserved: [
        { base: RAM_BASE, size: 0x10_0000, owner: 'kernel-image' },
        { base: RAM_BASE + RAM_SIZE - 0x1_0000, size: 0x1_0000, owner: 'device' },
      ],
    },
  });
  machines.push(new WeakRef(mm));
  return { mem, mm };
}

/** Weak: a property test makes hundreds of machines of 16 MiB (it checks each step itself). */
const machines: WeakRef<MemoryManager>[] = [];

/** For afterEach: the tier invariants (kernel/mm/tier-invariants.ts) hold in every machine the test made and still holds. */
export function checkMachines(): void {
  for (const ref of machines.splice(0)) {
    const mm = ref.deref();
    if (mm) assertTierInvariants(mm);
  }
}

export type Touch = { ok: true; pa: number; outcomes: FaultOutcome[] } | { ok: false; outcomes: FaultOutcome[] };

/** Access va as a user program would: walk, take faults to the kernel, retry. */
export function touch(backend: Backend, mem: PhysicalMemory, mm: MemoryManager, vs: VSpace, va: number, access: Access): Touch {
  const outcomes: FaultOutcome[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const w = backend.walk(mem, vs.root, va, access);
    if (w.ok) return { ok: true, pa: w.pa, outcomes };
    const out = mm.handleFault(vs, w.raw);
    outcomes.push(out);
    if (!out.resolved) return { ok: false, outcomes };
  }
  throw new Error(`access at 0x${va.toString(16)} still faults after 4 resolutions`);
}

export function userRead(backend: Backend, mem: PhysicalMemory, mm: MemoryManager, vs: VSpace, va: number): number | null {
  const t = touch(backend, mem, mm, vs, va, 'read');
  return t.ok ? mem.bytes[t.pa - RAM_BASE] : null;
}

export function userWrite(backend: Backend, mem: PhysicalMemory, mm: MemoryManager, vs: VSpace, va: number, value: number): boolean {
  const t = touch(backend, mem, mm, vs, va, 'write');
  if (t.ok) mem.bytes[t.pa - RAM_BASE] = value;
  return t.ok;
}
