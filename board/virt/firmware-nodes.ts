// The device-tree nodes QEMU 7.2's virt board writes for its firmware-facing
// devices: the platform bus (for dynamic sysbus devices, empty here), fw_cfg
// and the two CFI flash banks.

import { cells, cells64, DtNode, EMPTY, node, strings } from './flattened-device-tree';
import { FLASH_BANK_SIZE, FLASH_BASES } from './cfi-flash';
import { FW_CFG_BASE, FW_CFG_SIZE } from './fw-cfg';

export const PLATFORM_BUS_BASE = 0x0c00_0000;
export const PLATFORM_BUS_SIZE = 0x0200_0000;

export function platformBusNode(gicPhandle: number): DtNode {
  return node(`platform-bus@${PLATFORM_BUS_BASE.toString(16)}`, [
    ['interrupt-parent', cells(gicPhandle)],
    ['ranges', cells(0, 0, PLATFORM_BUS_BASE, PLATFORM_BUS_SIZE)],
    ['#address-cells', cells(1)],
    ['#size-cells', cells(1)],
    ['compatible', strings('qemu,platform', 'simple-bus')],
  ]);
}

export function fwCfgNode(): DtNode {
  return node(`fw-cfg@${FW_CFG_BASE.toString(16)}`, [
    ['dma-coherent', EMPTY],
    ['reg', cells64(FW_CFG_BASE, FW_CFG_SIZE)],
    ['compatible', strings('qemu,fw-cfg-mmio')],
  ]);
}

export function flashNode(): DtNode {
  return node('flash@0', [
    ['bank-width', cells(4)],
    ['reg', cells64(FLASH_BASES[0], FLASH_BANK_SIZE, FLASH_BASES[1], FLASH_BANK_SIZE)],
    ['compatible', strings('cfi-flash')],
  ]);
}
