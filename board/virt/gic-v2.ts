// GICv2: distributor and CPU interface for one CPU, driving its IRQ and FIQ lines.

import type { PhysicalMemory } from '../memory/physical-memory';
import { GicCpuInterface } from './gic-cpu-interface';
import { GicDistributor } from './gic-distributor';
import { GicState, SPURIOUS } from './gic-state';
import { GIC_CPU_BASE, GIC_DIST_BASE, GIC_REGION_SIZE, SPI_COUNT } from './memory-map';

/** Where the interrupt controller's outputs go (the CPU's irqLine / fiqLine). */
export interface InterruptOutputs {
  irqLine: boolean;
  fiqLine: boolean;
}

/** What devices see of an interrupt controller. */
export interface InterruptController {
  setLevel(intid: number, level: boolean): void;
}

const CTLR_FIQ_EN = 1 << 3;

export class GicV2 implements InterruptController {
  readonly state = new GicState(SPI_COUNT);
  readonly distributor = new GicDistributor(this.state, () => this.update());
  readonly cpuInterface = new GicCpuInterface(this.state, () => this.update());

  constructor(private readonly cpu: InterruptOutputs) {}

  attach(phys: PhysicalMemory): void {
    phys.addDevice(GIC_DIST_BASE, GIC_REGION_SIZE, this.distributor);
    phys.addDevice(GIC_CPU_BASE, GIC_REGION_SIZE, this.cpuInterface);
  }

  setLevel(intid: number, level: boolean): void {
    this.state.setLine(intid, level);
    this.update();
  }

  /** Recomputes the CPU's interrupt lines. */
  update(): void {
    const s = this.state;
    const id = s.highestPending();
    const signal = id !== SPURIOUS && s.canSignal(id);
    const asFiq = signal && s.group[id] === 0 && (s.cpuControl & CTLR_FIQ_EN) !== 0;
    this.cpu.irqLine = signal && !asFiq;
    this.cpu.fiqLine = asFiq;
  }
}
