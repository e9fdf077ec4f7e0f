// QEMU's generic PCIe host bridge (gpex) as the virt board has it: the ECAM
// configuration space of bus 0 (the host bridge 1b36:0008 at 00:00.0 and the
// functions plugged beside it; every absent function reads all ones, as do
// offsets past a conventional function's 256 bytes), the MMIO, I/O and high
// MMIO windows through which the BARs the guest assigned are reached (an
// address no BAR decodes reads all ones, as on QEMU), and the INTx lines,
// swizzled by slot onto SPIs 3..6 as the device tree's interrupt-map says.

import type { MmioDevice, PhysicalMemory } from '../memory/physical-memory';
import { PciFunction, UNASSIGNED } from './pci-function';

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

/** The host bridge function: Red Hat, Inc. QEMU PCIe host bridge (1b36:0008), class 06 00 00. */
export function hostBridge(): PciFunction {
  return new PciFunction('gpex-root', { vendor: 0x1b36, device: 0x0008, revision: 0, classCode: 0x060000, subsystemVendor: 0x1af4, subsystem: 0x1100, interruptPin: 0 });
}

/** A function plugged into bus 0, and what it asks of the host. */
export interface PciEndpoint {
  readonly fn: PciFunction;
  /** The host's INTx input for this function (set by plug). */
  intx?: (level: boolean) => void;
}

export class PcieHost implements MmioDevice {
  readonly name = 'pcie-ecam';
  /** Bus 0's functions by devfn (slot << 3 | function). */
  readonly functions = new Map<number, PciFunction>();
  private readonly lines = [0, 0, 0, 0];
  private readonly levels = new Map<PciFunction, boolean>();

  /** `setSpi(n, level)` drives SPI n (the GIC's INTID 32 + n). */
  constructor(private readonly setSpi: (spi: number, level: boolean) => void = () => undefined) {
    this.functions.set(0, hostBridge());
  }

  /** Plugs an endpoint at 00:slot.0 and wires its INTx pin through the swizzle. */
  plug(slot: number, e: PciEndpoint): void {
    const devfn = slot << 3;
    if (this.functions.has(devfn)) throw new Error(`PCI slot ${slot} is taken`);
    this.functions.set(devfn, e.fn);
    const pin = e.fn.config[0x3d];
    if (pin === 0) return;
    const line = (slot + pin - 1) % 4;
    e.intx = (level) => {
      if ((this.levels.get(e.fn) ?? false) === level) return;
      this.levels.set(e.fn, level);
      this.lines[line] += level ? 1 : -1;
      if (this.lines[line] === (level ? 1 : 0)) this.setSpi(PCIE_FIRST_SPI + line, level);
    };
  }

  /** Maps ECAM and the three windows. */
  attach(phys: PhysicalMemory): void {
    phys.addDevice(PCIE_ECAM_BASE, PCIE_ECAM_SIZE, this);
    phys.addDevice(PCIE_MMIO_BASE, PCIE_MMIO_SIZE, this.window('pcie-mmio', false, PCIE_MMIO_BASE));
    phys.addDevice(PCIE_PIO_BASE, PCIE_PIO_SIZE, this.window('pcie-pio', true, 0));
    phys.addDevice(PCIE_HIGH_MMIO_BASE, PCIE_HIGH_MMIO_SIZE, this.window('pcie-high-mmio', false, PCIE_HIGH_MMIO_BASE));
  }

  read(offset: number, size: number): number {
    const fn = this.at(offset);
    return fn === undefined ? UNASSIGNED.read(0, size) : fn.read(offset & 0xfff, size);
  }

  write(offset: number, size: number, value: number): void {
    this.at(offset)?.write(offset & 0xfff, size, value);
  }

  private at(offset: number): PciFunction | undefined {
    return offset >= 0x10_0000 ? undefined : this.functions.get(offset >>> 12);
  }

  /** The BAR (or ROM) of any function that decodes `addr` in the I/O or memory space. */
  decode(io: boolean, addr: number): { region: MmioDevice; offset: number } | undefined {
    for (const fn of this.functions.values()) {
      const hit = fn.decode(io, addr);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** A CPU window onto PCI addresses: the I/O space from 0, memory 1:1 with the CPU's addresses. */
  private window(name: string, io: boolean, base: number): MmioDevice {
    return {
      name,
      read: (offset, size) => {
        const hit = this.decode(io, base + offset);
        return hit === undefined ? UNASSIGNED.read(0, size) : hit.region.read(hit.offset, size);
      },
      write: (offset, size, value) => {
        const hit = this.decode(io, base + offset);
        hit?.region.write(hit.offset, size, value);
      },
    };
  }
}
