// QEMU virt's GICv2m MSI frame beside a GICv2 (0x0802_0000, 4 KiB): MSI_TYPER
// names 64 SPIs from INTID 80; a write of an INTID in that range to
// MSI_SETSPI_NS pulses that SPI (an edge, so the SPI must be edge-triggered to
// latch, as Linux configures it); MSI_IIDR reads QEMU's product ID 'Q'. Other
// offsets and access sizes read 0 and ignore writes, as QEMU's.

import type { MmioDevice } from '../memory/physical-memory';

export const V2M_BASE = 0x0802_0000;
export const V2M_SIZE = 0x1000;
/** The frame's first SPI (INTID 32 + 48) and its count. */
export const V2M_FIRST_INTID = 80;
export const V2M_SPIS = 64;

export class GicV2m implements MmioDevice {
  readonly name = 'gicv2m';

  /** `pulse(intid)` raises then lowers the GIC's input for that SPI. */
  constructor(private readonly pulse: (intid: number) => void) {}

  read(offset: number, size: number): number {
    if (size !== 4) return 0;
    if (offset === 0x008) return (V2M_FIRST_INTID << 16) | V2M_SPIS;
    if (offset === 0xfcc) return 0x51 << 20;
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if ((size !== 2 && size !== 4) || offset !== 0x040) return;
    const intid = value & 0x3ff;
    if (intid >= V2M_FIRST_INTID && intid < V2M_FIRST_INTID + V2M_SPIS) this.pulse(intid);
  }
}
