// QEMU's generic PCIe host bridge (gpex) as the virt board has it even with
// -nodefaults: an ECAM configuration space whose bus holds only the host
// bridge function at 00:00.0; every other function reads all-ones. The MMIO
// and I/O windows hold no devices yet.

import type { MmioDevice } from '../memory/physical-memory';

export const PCIE_ECAM_BASE = 0x40_1000_0000;
export const PCIE_ECAM_SIZE = 0x1000_0000;
export const PCIE_MMIO_BASE = 0x1000_0000;
export const PCIE_MMIO_SIZE = 0x2eff_0000;
export const PCIE_PIO_BASE = 0x3eff_0000;
export const PCIE_PIO_SIZE = 0x1_0000;
export const PCIE_HIGH_MMIO_BASE = 0x80_0000_0000;
export const PCIE_HIGH_MMIO_SIZE = 0x80_0000_0000;
/** The four legacy interrupts INTA..INTD are SPIs 3..6. */
export const PCIE_FIRST_SPI = 3;

/** Red Hat, Inc. QEMU PCIe host bridge (1b36:0008), class 06 00 00 (host bridge). */
const HOST_BRIDGE_ID = 0x0008_1b36;
const HOST_BRIDGE_CLASS_REV = 0x0600_0000;
const SUBSYSTEM_ID = 0x1100_1af4;
/** Command register bits a host bridge keeps: I/O, memory, bus master, parity, SERR. */
const COMMAND_WRITABLE = 0x0147;

export class PcieHost implements MmioDevice {
  readonly name = 'pcie-ecam';
  private command = 0;

  read(offset: number, size: number): number {
    const fn = Math.floor(offset / 4096);
    const reg = offset & 0xfff;
    if (fn !== 0) return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    const word = this.readWord(reg & ~3);
    const shift = (reg & 3) * 8;
    const v = word >>> shift;
    return size === 4 ? v >>> 0 : size === 2 ? v & 0xffff : v & 0xff;
  }

  private readWord(reg: number): number {
    switch (reg) {
      case 0x00:
        return HOST_BRIDGE_ID;
      case 0x04:
        return this.command; // status 0: no capabilities list
      case 0x08:
        return HOST_BRIDGE_CLASS_REV;
      case 0x2c:
        return SUBSYSTEM_ID;
      default:
        return 0; // header type 0, no BARs, no interrupt pin
    }
  }

  write(offset: number, size: number, value: number): void {
    if (offset !== 0x04 || size < 2) return;
    this.command = value & COMMAND_WRITABLE;
  }
}
