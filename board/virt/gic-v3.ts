// GICv3 as QEMU 7.2's virt builds it with gic-version=3 for one CPU, without
// security (GICD_CTLR.DS = 1) and without LPIs or ITS: the distributor keeps
// the SPIs (affinity routing always on), one redistributor the SGIs and PPIs,
// and the CPU interface is the ICC_* system registers. Group 0 is signalled
// as FIQ, group 1 as IRQ.

import type { GicSystemRegisters, IccRegister } from '../aarch64/gic-system-registers';
import type { PhysicalMemory } from '../memory/physical-memory';
import type { InterruptController, InterruptOutputs } from './gic-v2';
import { GicState, SPURIOUS } from './gic-state';
import { GicV3Distributor } from './gic-v3-distributor';
import { GicRedistributor, REDISTRIBUTOR_SIZE } from './gic-redistributor';
import { GIC_DIST_BASE, GIC_REDIST_BASE, GIC_REGION_SIZE } from './memory-map';

/** QEMU's GICv3 on virt: GICD_TYPER.ITLinesNumber = 7, so INTIDs 0..255 (224 SPIs). */
export const GICV3_SPI_COUNT = 224;

/** ICC_CTLR_EL1 as QEMU reports it: 16-bit INTIDs, 5 priority bits, A3V; EOImode and CBPR writable. */
const ICC_CTLR_FIXED = 0x8c00;
const ICC_CTLR_WRITABLE = 0x3;
const ICC_SRE = 0x7;
const MIN_BPR0 = 2;

export class GicV3 implements InterruptController, GicSystemRegisters {
  readonly state = new GicState(GICV3_SPI_COUNT);
  readonly distributor = new GicV3Distributor(this.state, () => this.update());
  readonly redistributor = new GicRedistributor(this.state, () => this.update());
  private iccCtlr = 0;
  private binaryPoint1 = MIN_BPR0 + 1;

  constructor(private readonly cpu: InterruptOutputs) {
    // Unlike QEMU's GICv2, SGIs start disabled and software enables them.
    this.state.enabled.fill(0, 0, 16);
    this.state.distributorControl = 0;
  }

  attach(phys: PhysicalMemory): void {
    phys.addDevice(GIC_DIST_BASE, GIC_REGION_SIZE, this.distributor);
    phys.addDevice(GIC_REDIST_BASE, REDISTRIBUTOR_SIZE, this.redistributor);
  }

  setLevel(intid: number, level: boolean): void {
    if (intid >= this.state.count) return;
    this.state.setLine(intid, level);
    this.update();
  }

  update(): void {
    const s = this.state;
    const id = s.highestPending();
    const signal = id !== SPURIOUS && s.canSignal(id);
    this.cpu.fiqLine = signal && s.group[id] === 0;
    this.cpu.irqLine = signal && s.group[id] !== 0;
  }

  read(reg: IccRegister): number {
    const s = this.state;
    switch (reg) {
      case 'PMR':
        return s.priorityMask;
      case 'IAR0':
      case 'IAR1': {
        const v = s.acknowledge(reg === 'IAR0' ? 0 : 1) & 0xffffff;
        this.update();
        return v;
      }
      case 'HPPIR0':
      case 'HPPIR1': {
        const id = s.highestPending();
        return id !== SPURIOUS && s.group[id] === (reg === 'HPPIR0' ? 0 : 1) ? id : SPURIOUS;
      }
      case 'RPR':
        return s.runningPriority === 0x100 ? 0xff : s.runningPriority;
      case 'BPR0':
        return s.binaryPoint;
      case 'BPR1':
        return this.binaryPoint1;
      case 'CTLR':
        return ICC_CTLR_FIXED | this.iccCtlr;
      case 'SRE':
        return ICC_SRE;
      case 'IGRPEN0':
        return s.cpuControl & 1;
      case 'IGRPEN1':
        return (s.cpuControl >>> 1) & 1;
      default:
        return 0;
    }
  }

  write(reg: IccRegister, lo: number, hi: number): void {
    const s = this.state;
    switch (reg) {
      case 'PMR':
        s.priorityMask = lo & 0xf8; // 5 bits of priority
        break;
      case 'EOIR0':
      case 'EOIR1':
        s.endOfInterrupt(lo & 0xffffff);
        break;
      case 'BPR0':
        s.binaryPoint = Math.max(lo & 7, MIN_BPR0);
        break;
      case 'BPR1':
        this.binaryPoint1 = Math.max(lo & 7, MIN_BPR0 + 1);
        break;
      case 'CTLR':
        this.iccCtlr = lo & ICC_CTLR_WRITABLE;
        break;
      case 'IGRPEN0':
        s.cpuControl = (s.cpuControl & ~1) | (lo & 1);
        break;
      case 'IGRPEN1':
        s.cpuControl = (s.cpuControl & ~2) | ((lo & 1) << 1);
        break;
      case 'SGI1R':
      case 'SGI0R':
      case 'ASGI1R':
        this.sendSgi(lo, hi);
        break;
    }
    this.update();
  }

  /**
   * ICC_SGI1R_EL1: INTID in bits 27:24, TargetList in 15:0 for affinity
   * Aff3.Aff2.Aff1 (all 0 for our CPU, which is Aff0 = 0), or IRM (bit 40) = all but self.
   */
  private sendSgi(lo: number, hi: number): void {
    const irm = (hi >>> 8) & 1;
    const ourAffinity = ((lo >>> 16) & 0xff) === 0 && (hi & 0xff) === 0 && ((hi >>> 16) & 0xff) === 0;
    if (irm === 0 && ourAffinity && (lo & 1) !== 0) this.state.sendSgi((lo >>> 24) & 0xf, 0);
  }
}
