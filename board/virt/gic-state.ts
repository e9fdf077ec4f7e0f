// The interrupt state a GIC keeps per INTID (enable, pending, active, priority,
// group, trigger) and the choice of the highest-priority pending interrupt for
// one CPU. The distributor and CPU interface register files read and write it.
//
// SGIs and PPIs (INTIDs 0..31) are banked: each CPU has its own copy. SPIs
// are shared, and reach the CPUs their target mask names. Every per-INTID
// array is laid out as one bank of 32 per CPU followed by the SPIs: slot(id, cpu).

export const SPURIOUS = 1023;
const FIRST_LPI = 8192;

/** LPIs (GICv3 with an ITS, gic-lpis.ts): always group 1, edge-like, without an active state. */
export interface LpiSource {
  /** The LPI to signal to `cpu` (highest priority, enabled, pending), or SPURIOUS. */
  best(cpu: number): number;
  priority(id: number, cpu: number): number;
  setPending(id: number, cpu: number, on: boolean): void;
}
const SGI_COUNT = 16;
export const PRIVATE_COUNT = 32;

/** One CPU interface's own state: control, priority mask, binary point, the active priorities. */
export class GicCpuBank {
  /** GICC_CTLR bits (GICv2), or bit 0 = IGRPEN0 and bit 1 = IGRPEN1 (GICv3). */
  control = 0;
  priorityMask = 0;
  binaryPoint = 2;
  /** Priorities of the active interrupts in acknowledge order (the running priority is the lowest value). */
  readonly activeStack: number[] = [];

  get runningPriority(): number {
    let p = 0x100;
    for (const a of this.activeStack) if (a < p) p = a;
    return p;
  }
}

export class GicState {
  /** INTIDs: 32 private ones and the SPIs. */
  readonly count: number;
  readonly cpus: number;
  /** Each slot's enable bit; changed only through setEnabled, which keeps highestPending's candidates current. */
  private readonly enableBits: Uint8Array;
  /** Latched pending state: edge events, software-set pending, SGIs. */
  readonly latched: Uint8Array;
  /** The input wire of each interrupt (level-sensitive ones are pending while it is high). */
  readonly line: Uint8Array;
  readonly active: Uint8Array;
  readonly priority: Uint8Array;
  readonly group: Uint8Array;
  /** 1 when edge-triggered (GICD_ICFGR bit 2n+1). */
  readonly edge: Uint8Array;
  /** Source CPU mask of each pending SGI, per target CPU: [cpu * 16 + sgi]. */
  readonly sgiSources: Uint8Array;
  /** The CPUs an SPI is delivered to (bit n = CPU n), per INTID (entries below 32 unused). */
  readonly spiTargets: Uint8Array;
  /** GICv2: SGIs carry their source CPU in IAR and stay pending per source; GICv3 keeps one pending bit. */
  sgiSourceInIar = true;
  /** GICD_CTLR bits: 0 = group 0 enabled, 1 = group 1 enabled. */
  distributorControl = 0;
  readonly banks: GicCpuBank[];
  lpis: LpiSource | undefined;

  constructor(spis: number, cpus = 1) {
    this.count = PRIVATE_COUNT + spis;
    this.cpus = cpus;
    const slots = cpus * PRIVATE_COUNT + spis;
    this.enableBits = new Uint8Array(slots);
    this.latched = new Uint8Array(slots);
    this.line = new Uint8Array(slots);
    this.active = new Uint8Array(slots);
    this.priority = new Uint8Array(slots);
    this.group = new Uint8Array(slots);
    this.edge = new Uint8Array(slots);
    this.sgiSources = new Uint8Array(SGI_COUNT * cpus);
    this.spiTargets = new Uint8Array(this.count);
    // One CPU takes every SPI; with more, software routes them (reset: to nobody on GICv2, as in QEMU).
    if (cpus === 1) this.spiTargets.fill(1);
    this.banks = Array.from({ length: cpus }, () => new GicCpuBank());
    for (let c = 0; c < cpus; c++) {
      for (let i = 0; i < SGI_COUNT; i++) {
        this.edge[c * PRIVATE_COUNT + i] = 1;
        this.enableBits[c * PRIVATE_COUNT + i] = 1; // SGIs are always enabled on GICv2 as QEMU models them
      }
    }
  }

  /**
   * Per CPU, the INTIDs enabled for it in ascending order, rebuilt after an enable bit changed: the
   * interrupts highestPending looks at (it runs at every line change, acknowledge and EOI; a scan of
   * every INTID was 1-2% of a guest's run).
   */
  private candidates: Int32Array[] | undefined;

  get enabled(): ArrayLike<number> {
    return this.enableBits;
  }

  setEnabled(k: number, on: boolean): void {
    const v = on ? 1 : 0;
    if (this.enableBits[k] === v) return;
    this.enableBits[k] = v;
    this.candidates = undefined;
  }

  private enabledIds(): Int32Array[] {
    return Array.from({ length: this.cpus }, (_, cpu) => {
      const ids: number[] = [];
      for (let id = 0; id < this.count; id++) if (this.enableBits[this.slot(id, cpu)] !== 0) ids.push(id);
      return Int32Array.from(ids);
    });
  }

  /** Index of INTID `id` as CPU `cpu` sees it in the per-INTID arrays. */
  slot(id: number, cpu: number): number {
    return id < PRIVATE_COUNT ? cpu * PRIVATE_COUNT + id : (this.cpus - 1) * PRIVATE_COUNT + id;
  }

  isPending(id: number, cpu = 0): boolean {
    const k = this.slot(id, cpu);
    return this.latched[k] !== 0 || (this.edge[k] === 0 && this.line[k] !== 0);
  }

  /** Drives an interrupt's input (a PPI's on CPU `cpu`): an edge-triggered one latches on the rising edge. */
  setLine(id: number, level: boolean, cpu = 0): void {
    const k = this.slot(id, cpu);
    const v = level ? 1 : 0;
    if (this.edge[k] !== 0 && v !== 0 && this.line[k] === 0) this.latched[k] = 1;
    this.line[k] = v;
  }

  private groupEnabled(k: number, bank: GicCpuBank): boolean {
    const bit = this.group[k] !== 0 ? 2 : 1;
    return (this.distributorControl & bit) !== 0 && (bank.control & bit) !== 0;
  }

  /** The pending, enabled, inactive interrupt of highest priority (lowest id on ties) for CPU `cpu`, or SPURIOUS. */
  highestPending(cpu = 0): number {
    const bank = this.banks[cpu];
    let best = SPURIOUS;
    let bestPrio = 0x100;
    const bit = 1 << cpu;
    const ids = (this.candidates ??= this.enabledIds())[cpu];
    for (let n = 0; n < ids.length; n++) {
      const id = ids[n];
      const k = this.slot(id, cpu);
      if (this.active[k] !== 0) continue;
      if (this.latched[k] === 0 && (this.edge[k] !== 0 || this.line[k] === 0)) continue;
      if (id >= PRIVATE_COUNT && (this.spiTargets[id] & bit) === 0) continue;
      if (!this.groupEnabled(k, bank)) continue;
      if (this.priority[k] < bestPrio) {
        best = id;
        bestPrio = this.priority[k];
      }
    }
    if (this.lpis !== undefined && (this.distributorControl & 2) !== 0 && (bank.control & 2) !== 0) {
      const lpi = this.lpis.best(cpu);
      if (lpi !== SPURIOUS && this.lpis.priority(lpi, cpu) < bestPrio) best = lpi;
    }
    return best;
  }

  /** The priority of `id` as CPU `cpu` sees it. */
  priorityOf(id: number, cpu: number): number {
    return id >= FIRST_LPI ? this.lpis!.priority(id, cpu) : this.priority[this.slot(id, cpu)];
  }

  /** The group of `id` as CPU `cpu` sees it: LPIs are group 1. */
  groupOf(id: number, cpu: number): number {
    return id >= FIRST_LPI ? 1 : this.group[this.slot(id, cpu)];
  }

  /** Whether `id` may interrupt CPU `cpu` now: above its priority mask and preempting its running priority. */
  canSignal(id: number, cpu = 0): boolean {
    if (id === SPURIOUS) return false;
    const bank = this.banks[cpu];
    const prio = this.priorityOf(id, cpu);
    if (prio >= bank.priorityMask) return false;
    const running = bank.runningPriority;
    if (running === 0x100) return true;
    const groupMask = ~((2 << (bank.binaryPoint & 7)) - 1) & 0xff;
    return (prio & groupMask) < (running & groupMask);
  }

  /**
   * GICC_IAR (any group), ICC_IAR0/1_EL1 (group 0 or 1): acknowledge the
   * highest pending interrupt; SPURIOUS when it is masked or of the other group.
   */
  acknowledge(group = -1, cpu = 0): number {
    const id = this.highestPending(cpu);
    if (!this.canSignal(id, cpu)) return SPURIOUS;
    if (group >= 0 && this.groupOf(id, cpu) !== group) return SPURIOUS;
    if (id >= FIRST_LPI) {
      this.lpis!.setPending(id, cpu, false);
      this.banks[cpu].activeStack.push(this.lpis!.priority(id, cpu));
      return id;
    }
    const k = this.slot(id, cpu);
    let source = 0;
    if (id < SGI_COUNT) {
      const j = cpu * SGI_COUNT + id;
      const s = this.sgiSources[j];
      if (this.sgiSourceInIar) {
        const lowest = s & -s;
        source = 31 - Math.clz32(lowest);
        this.sgiSources[j] = s & ~lowest;
      } else {
        this.sgiSources[j] = 0;
      }
      if (this.sgiSources[j] === 0) this.latched[k] = 0;
    } else {
      this.latched[k] = 0;
    }
    this.active[k] = 1;
    this.banks[cpu].activeStack.push(this.priority[k]);
    return id | (source << 10);
  }

  /** GICC_EOIR: priority drop and deactivation. */
  endOfInterrupt(value: number, cpu = 0): void {
    // GICC_EOIR carries the source CPU above the INTID; ICC_EOIR*_EL1 a 24-bit INTID.
    const id = this.sgiSourceInIar ? value & 0x3ff : value & 0xffffff;
    if (id >= FIRST_LPI && this.lpis !== undefined) {
      // No active state: the priority drops.
      const stack = this.banks[cpu].activeStack;
      const at = stack.lastIndexOf(this.lpis.priority(id, cpu));
      if (at >= 0) stack.splice(at, 1);
      return;
    }
    if (id >= this.count) return;
    const k = this.slot(id, cpu);
    if (this.active[k] === 0) return;
    this.active[k] = 0;
    const stack = this.banks[cpu].activeStack;
    const at = stack.lastIndexOf(this.priority[k]);
    if (at >= 0) stack.splice(at, 1);
  }

  /** SGI `id` from CPU `sourceCpu` becomes pending on CPU `target`. */
  sendSgi(id: number, sourceCpu: number, target = 0): void {
    this.sgiSources[target * SGI_COUNT + id] |= 1 << sourceCpu;
    this.latched[this.slot(id, target)] = 1;
  }

  /** Clears an SGI's pending state on CPU `target`, from every source. */
  clearSgi(id: number, target: number): void {
    this.sgiSources[target * SGI_COUNT + id] = 0;
    this.latched[this.slot(id, target)] = 0;
  }
}
