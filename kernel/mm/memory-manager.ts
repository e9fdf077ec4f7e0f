// The four tiers assembled over one arch backend: the entry point the rest of
// the kernel (and the tests) use.

import type { ArchFactory, ArchMmu, PhysicalRam, RawFault, TableFrames, TlbHooks } from '../arch/arch';
import { NO_TLB } from '../arch/arch';
import { AsidAllocator } from './asid';
import { resolveFault, type FaultOutcome } from './fault';
import { MemoryObject, type MoContext, type Pager, type SharedMappingCharge } from './memory-object';
import { newCounters, type MmCounters } from './mm-stats';
import { MoFrames } from './page-store';
import { countingTlb } from './tlb-counter';
import { Pmm, type MemoryMap } from './pmm';
import { KobjLedger } from './kobj-ledger';
import { Untyped } from './untyped';
import { FixedUntyped, UntypedPool, UntypedTables } from './untyped-tables';
import { UntypedFrames } from './untyped-frames';
import { VSpace } from './vspace';

/** The kernel-object kind of the mappings of a page beyond its first. */
export const SHARED_MAPPING_KIND = 'shared-mapping';

export interface MemoryManagerOptions {
  readonly ram: PhysicalRam;
  readonly map: MemoryMap;
  readonly arch: ArchFactory;
  readonly tlb?: TlbHooks;
  readonly maxChainDepth?: number;
}

export class MemoryManager {
  readonly pmm: Pmm;
  readonly arch: ArchMmu;
  readonly counters: MmCounters = newCounters();
  readonly asids: AsidAllocator;
  /** The kernel's translation tables: carved from a pool of small untypeds. */
  readonly tableFrames: UntypedTables;
  readonly tablePool: UntypedPool;
  /** Kernel objects a personality charges to guest memory (kernel/mm/kobj-ledger.ts). */
  readonly kobjs: KobjLedger;
  /** Bytes each MemoryObject header is charged to the ledger (0: not charged; the Linux personality sets it). */
  moChargeBytes = 0;
  /** What a page's mappings beyond its first are charged (bytes 0: not charged; the Linux personality sets it before any mapping). */
  readonly sharedMappings: SharedMappingCharge;
  private readonly moCtx: MoContext;
  private readonly liveMos = new Set<MemoryObject>();
  private readonly moCharged = new Set<MemoryObject>();
  private readonly liveVSpaces = new Set<VSpace>();
  private readonly liveUntyped = new Set<Untyped>();
  /** The untyped frame sources each MemoryObject may read frames of (kernel/mm/untyped-frames.ts). */
  private readonly deps = new Map<MemoryObject, Set<UntypedFrames>>();
  private readonly framesOf = new WeakMap<Untyped, UntypedFrames>();

  constructor(opts: MemoryManagerOptions) {
    this.pmm = new Pmm(opts.map);
    const pmm = this.pmm;
    this.kobjs = new KobjLedger(pmm);
    this.tablePool = new UntypedPool(pmm);
    this.tableFrames = new UntypedTables(this.tablePool);
    const tlb = countingTlb(opts.tlb ?? NO_TLB, this.counters);
    this.arch = opts.arch(opts.ram, this.tableFrames, tlb);
    this.asids = new AsidAllocator(this.arch.constants.asidBits, tlb);
    const kobjs = this.kobjs;
    this.sharedMappings = {
      bytes: 0,
      charge: (bytes) => kobjs.charge(SHARED_MAPPING_KIND, bytes),
      release: (bytes) => kobjs.release(SHARED_MAPPING_KIND, bytes),
    };
    this.moCtx = { frames: new MoFrames(pmm, opts.ram), counters: this.counters, maxChainDepth: opts.maxChainDepth ?? 8, sharedMappings: this.sharedMappings };
  }

  createUntyped(sizeBits: number): Untyped {
    const u = new Untyped(this.pmm, sizeBits);
    this.liveUntyped.add(u);
    return u;
  }

  destroyUntyped(u: Untyped): void {
    u.destroy();
    this.liveUntyped.delete(u);
  }

  /** A MemoryObject whose frames come from the PMM, or from `frames` (an untyped's: untypedFrames). */
  createMemoryObject(pageCount: number, pager: Pager | null = null, frames?: MoFrames): MemoryObject {
    this.kobjs.charge('memory-object', this.moChargeBytes);
    const mo = new MemoryObject(frames ? { ...this.moCtx, frames } : this.moCtx, pageCount, pager);
    this.dependOn(mo, frames ? [frames] : []);
    return this.track(mo);
  }

  /** A COW clone of mo; its own frames come from `frames` when given (else mo's source). */
  clone(mo: MemoryObject, frames?: MoFrames): MemoryObject {
    this.kobjs.charge('memory-object', this.moChargeBytes);
    const copy = mo.clone(frames ? { ...this.moCtx, frames } : undefined);
    // The clone reads mo's frames: it depends on every untyped mo does, and on its own.
    this.dependOn(copy, [...(this.deps.get(mo) ?? []), ...(frames ? [frames] : [])]);
    return this.track(copy);
  }

  destroyMemoryObject(mo: MemoryObject): void {
    mo.destroy();
    if (this.liveMos.delete(mo) && this.moCharged.delete(mo)) this.kobjs.release('memory-object', this.moChargeBytes);
    for (const f of this.deps.get(mo) ?? []) f.dependents.delete(mo);
    this.deps.delete(mo);
  }

  /** The frame source of untyped u (one per untyped): MemoryObject pages retyped out of it. */
  untypedFrames(u: Untyped): UntypedFrames {
    let f = this.framesOf.get(u);
    if (!f) {
      f = new UntypedFrames(this.pmm, this.moCtx.frames.ram, u, (d) => this.destroyMemoryObject(d as MemoryObject));
      this.framesOf.set(u, f);
    }
    return f;
  }

  private dependOn(mo: MemoryObject, sources: readonly MoFrames[]): void {
    const set = new Set<UntypedFrames>();
    for (const f of sources) if (f instanceof UntypedFrames) set.add(f);
    if (set.size === 0) return;
    this.deps.set(mo, set);
    for (const f of set) f.dependents.add(mo);
  }

  /** A VSpace whose root and tables are carved from untyped (default: the kernel's pool). */
  createVSpace(untyped?: Untyped): VSpace {
    const tableFrames = untyped ? new UntypedTables(new FixedUntyped(untyped)) : this.tableFrames;
    const vs = new VSpace({ arch: this.arch, tableFrames, asids: this.asids });
    this.liveVSpaces.add(vs);
    // Revoking the untyped destroys the VSpace before its tables are reclaimed.
    if (untyped) tableFrames.objectAt(vs.root.pa)!.onDestroy = () => this.destroyVSpace(vs);
    return vs;
  }

  destroyVSpace(vs: VSpace): void {
    vs.destroy();
    this.liveVSpaces.delete(vs);
  }

  /** Decode a hardware fault taken in vs and resolve it. */
  handleFault(vs: VSpace, raw: RawFault): FaultOutcome {
    const pf = this.arch.decodeFault(raw, vs.root);
    if (!pf) {
      this.counters.faultsUnresolved++;
      return { resolved: false, report: { address: raw.addressLo, kind: 'kernel', reason: `not a page fault (syndrome 0x${raw.syndrome.toString(16)})` } };
    }
    return resolveFault(vs, pf, this.counters);
  }

  get memoryObjects(): ReadonlySet<MemoryObject> {
    return this.liveMos;
  }

  get vspaces(): ReadonlySet<VSpace> {
    return this.liveVSpaces;
  }

  get untypeds(): ReadonlySet<Untyped> {
    return this.liveUntyped;
  }

  private track(mo: MemoryObject): MemoryObject {
    this.liveMos.add(mo);
    if (this.moChargeBytes > 0) this.moCharged.add(mo);
    return mo;
  }
}
