// The GICv3 distributor (GICD_*) with affinity routing: the SPI registers at
// the GICv2 offsets (those of INTIDs 0..31 read as zero: they live in the
// redistributor), GICD_IROUTER<n> for each SPI, and the identification
// registers as QEMU 7.2 reports them.

import type { MmioDevice } from '../memory/physical-memory';
import { GicDistributor } from './gic-distributor';
import type { GicState } from './gic-state';

const CTLR_ARE = 1 << 4;
const CTLR_DS = 1 << 6;
/** QEMU: ITLinesNumber 7, IDbits 15 (16-bit INTIDs), A3V, No1N. */
const TYPER = 0x037a0007;
const IIDR = 0x0000043b;
/** GICD_PIDR2: architecture revision 3. */
const PIDR2 = 0x3b;
const IROUTER_BASE = 0x6000;
const IROUTER_END = 0x7fe0;

export class GicV3Distributor implements MmioDevice {
  readonly name = 'gicv3-distributor';
  private readonly spis: GicDistributor;
  /** GICD_IROUTER<n> per INTID, as lo/hi words (one CPU: every routing reaches it). */
  private readonly router: Uint32Array;

  constructor(
    private readonly s: GicState,
    private readonly changed: () => void,
  ) {
    this.spis = new GicDistributor(s, changed, { first: 32, end: s.count, sgisWritable: false, bank: () => 0 });
    this.router = new Uint32Array(2 * s.count);
    // GICD_IROUTER<n> resets to affinity 0.0.0.0: CPU 0.
    s.spiTargets.fill(1);
  }

  read(offset: number, size: number): number {
    if (offset === 0x000) return this.s.distributorControl | CTLR_ARE | CTLR_DS;
    if (offset === 0x004) return TYPER;
    if (offset === 0x008) return IIDR;
    if (offset === 0xffe8) return PIDR2;
    if (offset >= IROUTER_BASE && offset < IROUTER_END) return this.routerWord(offset);
    if (offset >= 0x080 && offset < 0xd00) return this.spis.read(offset, size);
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (offset === 0x000) {
      // Group enables only: ARE and DS are fixed on.
      if (size === 4) this.s.distributorControl = value & 3;
      this.changed();
    } else if (offset >= IROUTER_BASE && offset < IROUTER_END) {
      const w = (offset - IROUTER_BASE) >>> 2;
      if (w >= 64 && w < this.router.length) {
        this.router[w] = value & ((w & 1) === 0 ? 0x800000ff : 0xff);
        this.route(w >>> 1);
        this.changed();
      }
    } else if (offset >= 0x080 && offset < 0xd00) {
      this.spis.write(offset, size, value);
    }
  }

  /**
   * Which CPUs SPI `id` reaches: any of them with Interrupt_Routing_Mode set
   * (the first to acknowledge takes it), else the one whose MPIDR affinity
   * (Aff0 = its index, the others 0, as QEMU numbers up to 16 CPUs) is named.
   */
  private route(id: number): void {
    const lo = this.router[2 * id];
    const hi = this.router[2 * id + 1];
    if ((lo & 0x80000000) !== 0) this.s.spiTargets[id] = (1 << this.s.cpus) - 1;
    else this.s.spiTargets[id] = (lo & 0x7fffff00) === 0 && hi === 0 && (lo & 0xff) < this.s.cpus ? 1 << (lo & 0xff) : 0;
  }

  private routerWord(offset: number): number {
    const w = (offset - IROUTER_BASE) >>> 2;
    return w < this.router.length ? this.router[w] : 0;
  }
}
