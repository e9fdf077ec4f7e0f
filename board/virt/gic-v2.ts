// GICv2: distributor and one CPU interface per CPU, driving each CPU's IRQ and FIQ lines.

import type { PhysicalMemory } from '../memory/physical-memory';
import { GicCpuInterface } from './gic-cpu-interface';
import { GicDistributor } from './gic-distributor';
import { GicState, SPURIOUS } from './gic-state';
import { GicV2m, V2M_BASE, V2M_SIZE } from './gic-v2m';
import { GIC_CPU_BASE, GIC_DIST_BASE, GIC_REGION_SIZE, SPI_COUNT } from './memory-map';

/** Where the interrupt controller's outputs go (the CPU's irqLine / fiqLine). */
export interface InterruptOutputs {
  irqLine: boolean;
  fiqLine: boolean;
}

/** What devices see of an interrupt controller. */
export interface InterruptController {
  setLevel(intid: number, level: boolean): void;
  /** A PPI of CPU `cpu` (timers, PMU). */
  setPrivateLevel(cpu: number, intid: number, level: boolean): void;
}

const CTLR_FIQ_EN = 1 << 3;

export class GicV2 implements InterruptController {
  readonly state: GicState;
  readonly distributor: GicDistributor;
  readonly cpuInterface: GicCpuInterface;
  private readonly outputs: readonly InterruptOutputs[];
  /** Called when CPU `cpu`'s interrupt output goes up (the scheduler wakes it soon). */
  onRaise: ((cpu: number) => void) | undefined;

  /**
   * `cpus` are the CPUs' interrupt inputs in CPU order; `current` says which
   * CPU makes an MMIO access (the board's scheduler knows).
   */
  constructor(cpus: InterruptOutputs | readonly InterruptOutputs[], current: () => number = () => 0) {
    this.outputs = Array.isArray(cpus) ? cpus : [cpus as InterruptOutputs];
    this.state = new GicState(SPI_COUNT, this.outputs.length);
    this.distributor = new GicDistributor(this.state, () => this.update(), { first: 0, end: Infinity, sgisWritable: false, bank: current });
    this.cpuInterface = new GicCpuInterface(this.state, () => this.update(), current);
  }

  attach(phys: PhysicalMemory): void {
    phys.addDevice(GIC_DIST_BASE, GIC_REGION_SIZE, this.distributor);
    phys.addDevice(GIC_CPU_BASE, GIC_REGION_SIZE, this.cpuInterface);
    // QEMU's virt has the GICv2m MSI frame beside a GICv2.
    phys.addDevice(V2M_BASE, V2M_SIZE, new GicV2m((intid) => {
      this.setLevel(intid, true);
      this.setLevel(intid, false);
    }));
  }

  setLevel(intid: number, level: boolean): void {
    this.state.setLine(intid, level);
    this.update();
  }

  setPrivateLevel(cpu: number, intid: number, level: boolean): void {
    this.state.setLine(intid, level, cpu);
    this.update();
  }

  /** Recomputes every CPU's interrupt lines. */
  update(): void {
    const s = this.state;
    for (let c = 0; c < this.outputs.length; c++) {
      const out = this.outputs[c];
      const id = s.highestPending(c);
      const signal = id !== SPURIOUS && s.canSignal(id, c);
      const asFiq = signal && s.group[s.slot(id, c)] === 0 && (s.banks[c].control & CTLR_FIQ_EN) !== 0;
      if (signal && !out.irqLine && !out.fiqLine) this.onRaise?.(c);
      out.irqLine = signal && !asFiq;
      out.fiqLine = asFiq;
    }
  }
}
