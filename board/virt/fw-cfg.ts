// QEMU's firmware configuration device (fw_cfg) as the virt board maps it:
// data at +0 (reads stream the selected item's bytes in order), the selector
// at +8 (a big-endian 16-bit key), and the DMA address at +16 (big-endian;
// writing its low half, or all 8 bytes, runs the transfer the FWCfgDmaAccess
// structure in guest memory describes). Items: the signature, the ID with the
// DMA bit, the UUID, -nographic, the boot menu, the CPU count and a file
// directory of the files listed below.

import { BusError, MmioDevice, PhysicalMemory } from '../memory/physical-memory';

export const FW_CFG_BASE = 0x0902_0000;
export const FW_CFG_SIZE = 0x18;

export const enum FwCfgKey {
  Signature = 0x00,
  Id = 0x01,
  Uuid = 0x02,
  NoGraphic = 0x04,
  NbCpus = 0x05,
  KernelSize = 0x08,
  InitrdSize = 0x0b,
  BootMenu = 0x0e,
  KernelData = 0x11,
  InitrdData = 0x12,
  CmdlineSize = 0x14,
  CmdlineData = 0x15,
  FileDir = 0x19,
  FileFirst = 0x20,
}

const ENTRY_MASK = 0x3fff;
const ARCH_LOCAL = 0x8000;
const FILE_SLOTS = 0x20;
const MAX_ENTRY = FwCfgKey.FileFirst + FILE_SLOTS;
const INVALID = -1;
const FILE_NAME_SIZE = 56;

const enum Dma {
  Error = 0x01,
  Read = 0x02,
  Skip = 0x04,
  Select = 0x08,
  Write = 0x10,
}

/** "QEMU CFG", what a read of the DMA register returns (big-endian). */
const DMA_SIGNATURE = [0x51, 0x45, 0x4d, 0x55, 0x20, 0x43, 0x46, 0x47];

export interface FwCfgFile {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface FwCfgOptions {
  readonly cpus: number;
  readonly noGraphic: boolean;
  readonly files: readonly FwCfgFile[];
}

/** The files QEMU's virt board adds that salty can give real contents: the empty boot order and geometry, and the reboot timeout (-1: none). */
export function defaultFwCfgFiles(): FwCfgFile[] {
  return [
    { name: 'bios-geometry', data: new Uint8Array(0) },
    { name: 'bootorder', data: new Uint8Array(0) },
    { name: 'etc/boot-fail-wait', data: Uint8Array.of(0xff, 0xff, 0xff, 0xff) },
  ];
}

const u16 = (v: number) => Uint8Array.of(v & 0xff, v >>> 8);
const u32 = (v: number) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);

export class FwCfg implements MmioDevice {
  readonly name = 'fw-cfg';
  private readonly items = new Map<number, Uint8Array>();
  private current = INVALID;
  private offset = 0;
  private dmaHigh = 0;

  constructor(
    private readonly phys: PhysicalMemory,
    o: FwCfgOptions,
  ) {
    this.items.set(FwCfgKey.Signature, new TextEncoder().encode('QEMU'));
    this.items.set(FwCfgKey.Id, u32(3)); // traditional interface and DMA
    this.items.set(FwCfgKey.Uuid, new Uint8Array(16));
    this.items.set(FwCfgKey.NoGraphic, u16(o.noGraphic ? 1 : 0));
    this.items.set(FwCfgKey.BootMenu, u16(0));
    this.items.set(FwCfgKey.NbCpus, u16(o.cpus));
    // The directory is sorted by name; keys follow that order.
    const files = [...o.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (files.length > FILE_SLOTS) throw new Error(`fw_cfg holds ${FILE_SLOTS} files, not ${files.length}`);
    const dir = new Uint8Array(4 + files.length * 64);
    const dv = new DataView(dir.buffer);
    dv.setUint32(0, files.length);
    files.forEach((f, i) => {
      const at = 4 + i * 64;
      dv.setUint32(at, f.data.length);
      dv.setUint16(at + 4, FwCfgKey.FileFirst + i);
      dir.set(new TextEncoder().encode(f.name).subarray(0, FILE_NAME_SIZE - 1), at + 8);
      this.items.set(FwCfgKey.FileFirst + i, f.data);
    });
    this.items.set(FwCfgKey.FileDir, dir);
  }

  /**
   * What QEMU's -kernel, -initrd and -append become when firmware boots: items
   * the firmware loads itself (U-Boot's `qfw load`). A kernel is given already
   * decompressed, as QEMU gunzips it for an AArch64 CPU.
   */
  setKernel(kernel: Uint8Array, initrd?: Uint8Array, cmdline?: string): void {
    this.items.set(FwCfgKey.KernelSize, u32(kernel.length));
    this.items.set(FwCfgKey.KernelData, kernel);
    if (initrd !== undefined) {
      this.items.set(FwCfgKey.InitrdSize, u32(initrd.length));
      this.items.set(FwCfgKey.InitrdData, initrd);
    }
    if (cmdline !== undefined) {
      const text = new TextEncoder().encode(cmdline + '\0');
      this.items.set(FwCfgKey.CmdlineSize, u32(text.length));
      this.items.set(FwCfgKey.CmdlineData, text);
    }
  }

  read(offset: number, size: number): number {
    if (offset < 8) return this.readData(size);
    if (offset >= 16) {
      // The DMA register reads as "QEMU CFG" in memory order.
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = v * 256 + (DMA_SIGNATURE[offset - 16 + k] ?? 0);
      return v >>> 0;
    }
    return 0; // the selector is write-only
  }

  write(offset: number, size: number, value: number): void {
    if (offset === 8 && size === 2) this.select(((value & 0xff) << 8) | (value >>> 8));
    else if (offset === 16 && size === 4) this.dmaHigh = bswap32(value);
    else if (offset === 20 && size === 4) this.dma(this.dmaHigh * 4294967296 + bswap32(value));
  }

  private select(key: number): void {
    this.offset = 0;
    const k = key & ENTRY_MASK;
    this.current = (key & ARCH_LOCAL) !== 0 || k >= MAX_ENTRY || !this.items.has(k) ? INVALID : k;
  }

  /** Up to `size` bytes of the item, first byte lowest, zero-padded at the end. */
  private readData(size: number): number {
    const data = this.current === INVALID ? undefined : this.items.get(this.current);
    if (data === undefined || this.offset >= data.length) return 0;
    let v = 0;
    for (let k = 0; k < size && this.offset < data.length; k++) v += data[this.offset++] * 2 ** (8 * k);
    return v >>> 0;
  }

  /** Runs one FWCfgDmaAccess { be32 control; be32 length; be64 address } at pa and writes back its control word. */
  private dma(pa: number): void {
    let control: number;
    let length: number;
    let address: number;
    try {
      const d = new DataView(this.phys.readBytes(pa, 16).buffer);
      control = d.getUint32(0);
      length = d.getUint32(4);
      address = d.getUint32(8) * 4294967296 + d.getUint32(12);
    } catch (e) {
      if (e instanceof BusError) return;
      throw e;
    }
    if (control & Dma.Select) this.select(control >>> 16);
    const read = (control & Dma.Read) !== 0;
    if (!read && !(control & Dma.Write) && !(control & Dma.Skip)) length = 0;
    let result = 0;
    // No item is writable: a DMA write is an error, as QEMU reports for a read-only item.
    if (!read && control & Dma.Write && length > 0) {
      result = Dma.Error;
      length = 0;
    }
    const data = this.current === INVALID ? undefined : this.items.get(this.current);
    while (length > 0) {
      const avail = data === undefined ? 0 : Math.max(0, data.length - this.offset);
      const n = avail === 0 ? length : Math.min(length, avail);
      try {
        if (read) this.phys.writeBytes(address, avail === 0 ? new Uint8Array(n) : data!.subarray(this.offset, this.offset + n));
      } catch (e) {
        if (!(e instanceof BusError)) throw e;
        result = Dma.Error;
        break;
      }
      if (avail !== 0) this.offset += n;
      address += n;
      length -= n;
    }
    try {
      this.phys.write32(pa, bswap32(result));
    } catch (e) {
      if (!(e instanceof BusError)) throw e;
    }
  }
}

function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
