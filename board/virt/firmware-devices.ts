// Maps the virt board's flash banks and fw_cfg into the physical address
// space, with the flash storage in the memory reserved after RAM.

import type { PhysicalMemory } from '../memory/physical-memory';
import { CfiFlash, FLASH_BANK_SIZE, FLASH_BASES } from './cfi-flash';
import { defaultFwCfgFiles, FW_CFG_BASE, FW_CFG_SIZE, FwCfg } from './fw-cfg';

export function attachFlash(phys: PhysicalMemory): CfiFlash[] {
  return FLASH_BASES.map((base, i) => {
    const flash = phys.addRomDevice(base, FLASH_BANK_SIZE, (storage) => new CfiFlash(i, storage));
    // Decoded code from the bank goes when its contents change or it stops reading as memory.
    flash.onChange = (off, len) => phys.notifyWrite(base + off, len);
    flash.onLeaveArrayMode = () => phys.notifyWrite(base, FLASH_BANK_SIZE);
    return flash;
  });
}

export function attachFwCfg(phys: PhysicalMemory, cpus: number): FwCfg {
  const fwCfg = new FwCfg(phys, { cpus, noGraphic: true, files: defaultFwCfgFiles() });
  phys.addDevice(FW_CFG_BASE, FW_CFG_SIZE, fwCfg);
  return fwCfg;
}
