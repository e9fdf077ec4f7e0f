// The interrupt state a GIC keeps per INTID (enable, pending, active, priority,
// group, trigger) and the choice of the highest-priority pending interrupt.
// The distributor and CPU interface register files read and write it.

export const SPURIOUS = 1023;
const SGI_COUNT = 16;

export class GicState {
  readonly count: number;
  readonly enabled: Uint8Array;
  /** Latched pending state: edge events, software-set pending, SGIs. */
  readonly latched: Uint8Array;
  /** The input wire of each interrupt (level-sensitive ones are pending while it is high). */
  readonly line: Uint8Array;
  readonly active: Uint8Array;
  readonly priority: Uint8Array;
  readonly group: Uint8Array;
  /** 1 when edge-triggered (GICD_ICFGR bit 2n+1). */
  readonly edge: Uint8Array;
  /** Source CPU mask of each pending SGI (one CPU: bit 0). */
  readonly sgiSources: Uint8Array;
  /** GICD_CTLR bits: 0 = group 0 enabled, 1 = group 1 enabled. */
  distributorControl = 0;
  cpuControl = 0;
  priorityMask = 0;
  binaryPoint = 2;
  /** Priorities of the active interrupts in acknowledge order (the running priority is the lowest value). */
  readonly activeStack: number[] = [];

  constructor(spis: number) {
    this.count = 32 + spis;
    this.enabled = new Uint8Array(this.count);
    this.latched = new Uint8Array(this.count);
    this.line = new Uint8Array(this.count);
    this.active = new Uint8Array(this.count);
    this.priority = new Uint8Array(this.count);
    this.group = new Uint8Array(this.count);
    this.edge = new Uint8Array(this.count);
    this.sgiSources = new Uint8Array(SGI_COUNT);
    for (let i = 0; i < SGI_COUNT; i++) {
      this.edge[i] = 1;
      this.enabled[i] = 1; // SGIs are always enabled on GICv2 as QEMU models them
    }
  }

  isPending(id: number): boolean {
    return this.latched[id] !== 0 || (this.edge[id] === 0 && this.line[id] !== 0);
  }

  /** Drives an interrupt's input: an edge-triggered one latches on the rising edge. */
  setLine(id: number, level: boolean): void {
    const v = level ? 1 : 0;
    if (this.edge[id] !== 0 && v !== 0 && this.line[id] === 0) this.latched[id] = 1;
    this.line[id] = v;
  }

  get runningPriority(): number {
    let p = 0x100;
    for (const a of this.activeStack) if (a < p) p = a;
    return p;
  }

  private groupEnabled(id: number): boolean {
    const bit = this.group[id] !== 0 ? 2 : 1;
    return (this.distributorControl & bit) !== 0 && (this.cpuControl & bit) !== 0;
  }

  /** The pending, enabled, inactive interrupt of highest priority (lowest id on ties), or SPURIOUS. */
  highestPending(): number {
    let best = SPURIOUS;
    let bestPrio = 0x100;
    for (let id = 0; id < this.count; id++) {
      if (this.enabled[id] === 0 || this.active[id] !== 0 || !this.isPending(id)) continue;
      if (!this.groupEnabled(id)) continue;
      if (this.priority[id] < bestPrio) {
        best = id;
        bestPrio = this.priority[id];
      }
    }
    return best;
  }

  /** Whether `id` may interrupt now: above the priority mask and preempting the running priority. */
  canSignal(id: number): boolean {
    if (id === SPURIOUS) return false;
    const prio = this.priority[id];
    if (prio >= this.priorityMask) return false;
    const running = this.runningPriority;
    if (running === 0x100) return true;
    const groupMask = ~((2 << (this.binaryPoint & 7)) - 1) & 0xff;
    return (prio & groupMask) < (running & groupMask);
  }

  /**
   * GICC_IAR (any group), ICC_IAR0/1_EL1 (group 0 or 1): acknowledge the
   * highest pending interrupt; SPURIOUS when it is masked or of the other group.
   */
  acknowledge(group = -1): number {
    const id = this.highestPending();
    if (!this.canSignal(id) || (group >= 0 && this.group[id] !== group)) return SPURIOUS;
    let source = 0;
    if (id < SGI_COUNT) {
      const s = this.sgiSources[id];
      const lowest = s & -s;
      source = 31 - Math.clz32(lowest);
      this.sgiSources[id] = s & ~lowest;
      if (this.sgiSources[id] === 0) this.latched[id] = 0;
    } else {
      this.latched[id] = 0;
    }
    this.active[id] = 1;
    this.activeStack.push(this.priority[id]);
    return id | (source << 10);
  }

  /** GICC_EOIR: priority drop and deactivation. */
  endOfInterrupt(value: number): void {
    const id = value & 0x3ff;
    if (id >= this.count || this.active[id] === 0) return;
    this.active[id] = 0;
    const k = this.activeStack.lastIndexOf(this.priority[id]);
    if (k >= 0) this.activeStack.splice(k, 1);
  }

  sendSgi(id: number, sourceCpu: number): void {
    this.sgiSources[id] |= 1 << sourceCpu;
    this.latched[id] = 1;
  }
}
