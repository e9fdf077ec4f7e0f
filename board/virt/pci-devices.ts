// The PCI devices the virt board plugs into its root bus: QEMU's default NIC
// (virtio-net-pci at 00:01.0, what -M virt adds unless -nic none) and the
// message path of their MSI-X vectors (a 32-bit write on the bus, to a GICv2m
// frame or the ITS's GITS_TRANSLATER; a write to nothing is dropped).

import type { PhysicalMemory } from '../memory/physical-memory';
import type { MsiWrite } from './msix-table';
import type { PcieHost } from './pcie-host';
import { DEFAULT_MAC, VirtioNet } from './virtio-net';
import { VirtioPciTransport } from './virtio-pci';

/** The slot QEMU gives the first -nic on the virt board. */
export const NIC_SLOT = 1;

/** A device that tells MSI writes apart by their requester (the ITS's GITS_TRANSLATER takes the DeviceID from it). */
export interface MsiTarget {
  writeMsi(offset: number, data: number, requesterId: number): void;
}

const isMsiTarget = (d: object): d is MsiTarget => typeof (d as Partial<MsiTarget>).writeMsi === 'function';

/** The bus write of a message from PCI requester `requesterId` (bus << 8 | devfn). */
export function busWriter(phys: PhysicalMemory, requesterId: number): MsiWrite {
  return (lo, hi, data) => {
    const pa = hi * 4294967296 + (lo >>> 0);
    if (phys.isRam(pa, 4)) return phys.write32(pa, data);
    const r = phys.findDevice(pa);
    if (r === undefined) return;
    if (isMsiTarget(r.device)) r.device.writeMsi(pa - r.base, data >>> 0, requesterId);
    else r.device.write(pa - r.base, 4, data >>> 0);
  };
}

/** Plugs NIC number `index` (0 = QEMU's default one at 00:01.0); without a MAC it gets QEMU's default plus `index`. */
export function plugNic(phys: PhysicalMemory, pcie: PcieHost, index: number, mac?: Uint8Array, backend: 'user' | 'none' = 'user'): VirtioPciTransport {
  const m = mac ?? Uint8Array.from(DEFAULT_MAC, (b, i) => (i === 5 ? (b + index) & 0xff : b));
  const t = new VirtioPciTransport(phys, new VirtioNet(m, backend), busWriter(phys, (NIC_SLOT + index) << 3));
  pcie.plug(NIC_SLOT + index, t);
  return t;
}
