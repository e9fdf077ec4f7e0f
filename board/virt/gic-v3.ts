// GICv3 as QEMU 7.2's virt builds it with gic-version=3, without security
// (GICD_CTLR.DS = 1): the distributor keeps the SPIs (affinity routing always
// on), one redistributor per CPU its SGIs, PPIs and LPI tables, the ITS
// (gic-its.ts) turns commands into LPIs, and each CPU's interface is its
// ICC_* system registers. Group 0 is signalled as FIQ, group 1 as IRQ.

import type { GicSystemRegisters, IccRegister } from '../aarch64/gic-system-registers';
import type { PhysicalMemory } from '../memory/physical-memory';
import type { InterruptController, InterruptOutputs } from './gic-v2';
import { GicState, SPURIOUS } from './gic-state';
import { GicV3Distributor } from './gic-v3-distributor';
import { GicRedistributor, REDISTRIBUTOR_REGION_SIZE } from './gic-redistributor';
import { GIC_DIST_BASE, GIC_REDIST_BASE, GIC_REGION_SIZE } from './memory-map';
import { GicIts } from './gic-its';
import { GicLpis } from './gic-lpis';

/** QEMU's GICv3 on virt: GICD_TYPER.ITLinesNumber = 7, so INTIDs 0..255 (224 SPIs). */
export const GICV3_SPI_COUNT = 224;

/** ICC_CTLR_EL1 as QEMU reports it: 16-bit INTIDs, 5 priority bits, A3V; EOImode and CBPR writable. */
const ICC_CTLR_FIXED = 0x8c00;
const ICC_CTLR_WRITABLE = 0x3;
const ICC_SRE = 0x7;
const MIN_BPR0 = 2;

export class GicV3 implements InterruptController, GicSystemRegisters {
  readonly state: GicState;
  readonly distributor: GicV3Distributor;
  readonly redistributor: GicRedistributor;
  readonly lpis: GicLpis;
  readonly its: GicIts;
  private readonly outputs: readonly InterruptOutputs[];
  /** Called when CPU `cpu`'s interrupt output goes up (the scheduler wakes it soon). */
  onRaise: ((cpu: number) => void) | undefined;
  private readonly iccCtlr: number[];
  private readonly binaryPoint1: number[];
  /** Each CPU's ICC_* registers, in CPU order. */
  readonly cpuInterfaces: readonly GicSystemRegisters[];

  constructor(cpus: InterruptOutputs | readonly InterruptOutputs[]) {
    this.outputs = Array.isArray(cpus) ? cpus : [cpus as InterruptOutputs];
    const n = this.outputs.length;
    this.state = new GicState(GICV3_SPI_COUNT, n);
    this.state.sgiSourceInIar = false;
    this.distributor = new GicV3Distributor(this.state, () => this.update());
    this.lpis = new GicLpis(n);
    this.state.lpis = this.lpis;
    this.redistributor = new GicRedistributor(this.state, () => this.update(), this.lpis);
    this.its = new GicIts(this.lpis, () => this.update());
    this.iccCtlr = new Array<number>(n).fill(0);
    this.binaryPoint1 = new Array<number>(n).fill(MIN_BPR0 + 1);
    this.cpuInterfaces = Array.from({ length: n }, (_, cpu) => ({
      read: (reg: IccRegister) => this.readIcc(cpu, reg),
      write: (reg: IccRegister, lo: number, hi: number) => this.writeIcc(cpu, reg, lo, hi),
    }));
    // Unlike QEMU's GICv2, SGIs start disabled and software enables them.
    for (let c = 0; c < n; c++) for (let i = 0; i < 16; i++) this.state.setEnabled(c * 32 + i, false);
    this.state.distributorControl = 0;
  }

  attach(phys: PhysicalMemory): void {
    phys.addDevice(GIC_DIST_BASE, GIC_REGION_SIZE, this.distributor);
    phys.addDevice(GIC_REDIST_BASE, REDISTRIBUTOR_REGION_SIZE, this.redistributor);
    this.its.attach(phys);
  }

  setLevel(intid: number, level: boolean): void {
    if (intid >= this.state.count) return;
    this.state.setLine(intid, level);
    this.update();
  }

  setPrivateLevel(cpu: number, intid: number, level: boolean): void {
    this.state.setLine(intid, level, cpu);
    this.update();
  }

  update(): void {
    const s = this.state;
    for (let c = 0; c < this.outputs.length; c++) {
      const id = s.highestPending(c);
      const signal = id !== SPURIOUS && s.canSignal(id, c);
      const group = signal ? s.groupOf(id, c) : 0;
      const out = this.outputs[c];
      if (signal && !out.irqLine && !out.fiqLine) this.onRaise?.(c);
      out.fiqLine = signal && group === 0;
      out.irqLine = signal && group !== 0;
    }
  }

  /** CPU 0's registers (GicSystemRegisters of a one-CPU board). */
  read(reg: IccRegister): number {
    return this.readIcc(0, reg);
  }

  write(reg: IccRegister, lo: number, hi: number): void {
    this.writeIcc(0, reg, lo, hi);
  }

  private readIcc(cpu: number, reg: IccRegister): number {
    const s = this.state;
    const bank = s.banks[cpu];
    switch (reg) {
      case 'PMR':
        return bank.priorityMask;
      case 'IAR0':
      case 'IAR1': {
        const v = s.acknowledge(reg === 'IAR0' ? 0 : 1, cpu) & 0xffffff;
        this.update();
        return v;
      }
      case 'HPPIR0':
      case 'HPPIR1': {
        const id = s.highestPending(cpu);
        return id !== SPURIOUS && s.groupOf(id, cpu) === (reg === 'HPPIR0' ? 0 : 1) ? id : SPURIOUS;
      }
      case 'RPR':
        return bank.runningPriority === 0x100 ? 0xff : bank.runningPriority;
      case 'BPR0':
        return bank.binaryPoint;
      case 'BPR1':
        return this.binaryPoint1[cpu];
      case 'CTLR':
        return ICC_CTLR_FIXED | this.iccCtlr[cpu];
      case 'SRE':
        return ICC_SRE;
      case 'IGRPEN0':
        return bank.control & 1;
      case 'IGRPEN1':
        return (bank.control >>> 1) & 1;
      default:
        return 0;
    }
  }

  private writeIcc(cpu: number, reg: IccRegister, lo: number, hi: number): void {
    const bank = this.state.banks[cpu];
    switch (reg) {
      case 'PMR':
        bank.priorityMask = lo & 0xf8; // 5 bits of priority
        break;
      case 'EOIR0':
      case 'EOIR1':
        this.state.endOfInterrupt(lo & 0xffffff, cpu);
        break;
      case 'BPR0':
        bank.binaryPoint = Math.max(lo & 7, MIN_BPR0);
        break;
      case 'BPR1':
        this.binaryPoint1[cpu] = Math.max(lo & 7, MIN_BPR0 + 1);
        break;
      case 'CTLR':
        this.iccCtlr[cpu] = lo & ICC_CTLR_WRITABLE;
        break;
      case 'IGRPEN0':
        bank.control = (bank.control & ~1) | (lo & 1);
        break;
      case 'IGRPEN1':
        bank.control = (bank.control & ~2) | ((lo & 1) << 1);
        break;
      case 'SGI1R':
      case 'SGI0R':
      case 'ASGI1R':
        this.sendSgi(cpu, lo, hi);
        break;
    }
    this.update();
  }

  /**
   * ICC_SGI1R_EL1: INTID in bits 27:24; IRM (bit 40) = every CPU but the
   * sender, else TargetList (15:0, offset by RS (47:44) x 16) over the Aff0 of
   * the CPUs whose Aff3.Aff2.Aff1 (55:48, 39:32, 23:16) are named. Our CPUs
   * have Aff0 = their index and the other levels 0, as QEMU numbers up to 16.
   */
  private sendSgi(self: number, lo: number, hi: number): void {
    const id = (lo >>> 24) & 0xf;
    const irm = (hi >>> 8) & 1;
    const n = this.state.cpus;
    if (irm !== 0) {
      for (let c = 0; c < n; c++) if (c !== self) this.state.sendSgi(id, self, c);
      return;
    }
    const upperAffinity = ((lo >>> 16) & 0xff) === 0 && (hi & 0xff) === 0 && ((hi >>> 16) & 0xff) === 0;
    if (!upperAffinity) return;
    const rs = (hi >>> 12) & 0xf;
    const list = lo & 0xffff;
    for (let c = 0; c < n; c++) {
      const bit = c - rs * 16;
      if (bit >= 0 && bit < 16 && ((list >>> bit) & 1) !== 0) this.state.sendSgi(id, self, c);
    }
  }
}
