// The machine's physical address space: one block of RAM plus MMIO devices.
// RAM lives in a WebAssembly.Memory so a later block compiler can share it.
// Physical addresses are plain numbers (< 2^48 on every board we model).

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
/** Bytes of one CPU slot (see allocCpuSlot): a register file and two software TLBs, in whole WebAssembly pages. */
export const CPU_SLOT_BYTES = 7 * 65536;
/** One WebAssembly.Memory holds RAM, ROM storage and the CPU slots: at most 65536 pages without memory64 (node 20). */
export const MAX_MEMORY_BYTES = 2 ** 32;

export interface MmioDevice {
  readonly name: string;
  /** size is 1, 2 or 4 (the CPU splits 8-byte accesses); offset is relative to the device base. */
  read(offset: number, size: number): number;
  write(offset: number, size: number, value: number): void;
}

/**
 * A device whose storage lives in `bytes` after RAM (a flash bank): while it
 * reads as memory (read-array mode) the CPU fetches instructions from it;
 * data accesses always go through read/write.
 */
export interface RomDevice extends MmioDevice {
  readonly readsAsMemory: boolean;
}

interface RomRegion {
  readonly base: number;
  readonly size: number;
  readonly offset: number;
  readonly device: RomDevice;
}

export interface MmioRegion {
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}

/** Raised for a physical access that hits neither RAM nor a device (an external abort on hardware). */
export class BusError extends Error {
  constructor(readonly address: number, readonly write: boolean) {
    super(`bus error: ${write ? 'write to' : 'read from'} unmapped physical address 0x${address.toString(16)}`);
  }
}

/** Called when something other than a CPU store (DMA, the hosted kernel, a loader, a ROM device) writes RAM or ROM storage, and by CPU stores to code pages. */
export type RamWriteListener = (firstPage: number, lastPage: number) => void;

export class PhysicalMemory {
  readonly ramBase: number;
  readonly ramSize: number;
  readonly memory: WebAssembly.Memory;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Bytes of `bytes` after RAM reserved for ROM devices' storage (0 when their storage lies outside, see romInMemory). */
  readonly romSize: number;
  /**
   * ROM storage lies after RAM in `memory`, where the CPU fetches from it; when
   * RAM leaves no room for it below 4 GiB, each ROM device gets a buffer of
   * its own, reached through its read/write only (no code runs from it).
   */
  readonly romInMemory: boolean;
  private readonly romCapacity: number;
  private romUsed = 0;
  private readonly roms: RomRegion[] = [];
  private readonly regions: MmioRegion[] = [];
  private readonly writeListeners: RamWriteListener[] = [];

  /**
   * Bytes after RAM and ROM storage set aside for the CPUs' register files
   * and software TLBs (CPU_SLOT_BYTES each), so that code compiled to
   * WebAssembly reaches them in the same memory as RAM. The offset may pass
   * 2^31: compiled code takes it as an unsigned memarg offset.
   */
  readonly cpuSlotsOffset: number;
  private cpuSlotsFree: number;

  /**
   * Bytes of the RAM asked for that the CPU slots took (0 unless RAM, ROM and
   * slots together pass MAX_MEMORY_BYTES): RAM then ends that much lower, as
   * when firmware keeps the top of memory for itself (docs/board.md).
   */
  readonly ramTakenBySlots: number;

  constructor(ramBase: number, ramSize: number, romSize = 0, cpuSlots = 1) {
    if (ramSize % 65536 !== 0 || ramSize <= 0) throw new Error(`RAM size must be a positive multiple of 64 KiB, got ${ramSize}`);
    if (romSize % 65536 !== 0 || romSize < 0) throw new Error(`ROM storage must be a multiple of 64 KiB, got ${romSize}`);
    if (ramSize > MAX_MEMORY_BYTES) throw new Error(`RAM size ${ramSize} exceeds the 4 GiB this model supports`);
    // What does not fit beside RAM in the 4 GiB moves: ROM storage out of the memory, then the CPU slots into RAM's top.
    this.romCapacity = romSize;
    this.romInMemory = ramSize + romSize <= MAX_MEMORY_BYTES;
    if (!this.romInMemory) romSize = 0;
    // The slots must sit in the same memory as RAM (compiled code reaches both).
    const slotBytes = cpuSlots * CPU_SLOT_BYTES;
    this.ramTakenBySlots = Math.max(0, ramSize + romSize + slotBytes - MAX_MEMORY_BYTES);
    if (this.ramTakenBySlots >= ramSize) throw new Error(`RAM size ${ramSize} leaves no room beside ${cpuSlots} CPU slots`);
    ramSize -= this.ramTakenBySlots;
    this.ramBase = ramBase;
    this.ramSize = ramSize;
    this.romSize = romSize;
    this.cpuSlotsOffset = ramSize + romSize;
    this.cpuSlotsFree = cpuSlots;
    const pages = (ramSize + romSize + slotBytes) / 65536;
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.bytes = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
  }

  /** Offset in `bytes` of a free CPU slot (CPU_SLOT_BYTES), or -1 when none is left. */
  allocCpuSlot(): number {
    if (this.cpuSlotsFree === 0) return -1;
    this.cpuSlotsFree--;
    return this.cpuSlotsOffset + this.cpuSlotsFree * CPU_SLOT_BYTES;
  }

  get ramEnd(): number {
    return this.ramBase + this.ramSize;
  }

  addDevice(base: number, size: number, device: MmioDevice): void {
    for (const r of this.regions) {
      if (base < r.base + r.size && r.base < base + size) throw new Error(`MMIO region ${device.name} overlaps ${r.device.name}`);
    }
    this.regions.push({ base, size, device });
  }

  /** Maps a ROM device at [base, base+size), made around its storage (a view of `bytes` after RAM, or a buffer of its own). */
  addRomDevice<D extends RomDevice>(base: number, size: number, make: (storage: Uint8Array) => D): D {
    if (this.romUsed + size > this.romCapacity) throw new Error(`a ROM device of ${size} bytes does not fit in the ${this.romCapacity - this.romUsed} bytes left`);
    const offset = this.romInMemory ? this.ramSize + this.romUsed : -1;
    const device = make(offset >= 0 ? this.bytes.subarray(offset, offset + size) : new Uint8Array(size));
    this.addDevice(base, size, device);
    this.romUsed += size;
    this.roms.push({ base, size, offset, device });
    return device;
  }

  /** Offset in `bytes` of pa's storage (RAM or a ROM device), or -1. */
  storageOffset(pa: number): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) return off;
    for (const r of this.roms) if (pa >= r.base && pa < r.base + r.size) return r.offset < 0 ? -1 : r.offset + (pa - r.base);
    return -1;
  }

  /** Offset in `bytes` an instruction at pa is fetched from: RAM, or a ROM device reading as memory; -1 otherwise. */
  fetchOffset(pa: number): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) return off;
    for (const r of this.roms) if (pa >= r.base && pa < r.base + r.size) return r.device.readsAsMemory && r.offset >= 0 ? r.offset + (pa - r.base) : -1;
    return -1;
  }

  onRamWrite(listener: RamWriteListener): void {
    this.writeListeners.push(listener);
  }

  isRam(pa: number, length = 1): boolean {
    return pa >= this.ramBase && pa + length <= this.ramBase + this.ramSize;
  }

  /** Offset into `bytes` of a RAM physical address, or -1 when the address is not RAM. */
  ramOffset(pa: number): number {
    const off = pa - this.ramBase;
    return off >= 0 && off < this.ramSize ? off : -1;
  }

  findDevice(pa: number): MmioRegion | undefined {
    for (const r of this.regions) if (pa >= r.base && pa < r.base + r.size) return r;
    return undefined;
  }

  /** Tell the listeners (the CPU's decoded-code cache) that RAM or ROM storage in [pa, pa+length) changed. */
  notifyWrite(pa: number, length: number): void {
    if (length <= 0 || this.writeListeners.length === 0) return;
    const first = Math.floor(pa / PAGE_SIZE);
    const last = Math.floor((pa + length - 1) / PAGE_SIZE);
    for (const l of this.writeListeners) l(first, last);
  }

  // ---- bulk helpers for loaders and the hosted kernel (they notify listeners) ----

  writeBytes(pa: number, data: Uint8Array): void {
    const off = this.checkedOffset(pa, data.length, true);
    this.bytes.set(data, off);
    this.notifyWrite(pa, data.length);
  }

  readBytes(pa: number, length: number): Uint8Array {
    const off = this.checkedOffset(pa, length, false);
    return this.bytes.slice(off, off + length);
  }

  fill(pa: number, length: number, value = 0): void {
    const off = this.checkedOffset(pa, length, true);
    this.bytes.fill(value, off, off + length);
    this.notifyWrite(pa, length);
  }

  copy(dstPa: number, srcPa: number, length: number): void {
    const d = this.checkedOffset(dstPa, length, true);
    const s = this.checkedOffset(srcPa, length, false);
    this.bytes.copyWithin(d, s, s + length);
    this.notifyWrite(dstPa, length);
  }

  read32(pa: number): number {
    return this.view.getUint32(this.checkedOffset(pa, 4, false), true);
  }

  write32(pa: number, value: number): void {
    this.view.setUint32(this.checkedOffset(pa, 4, true), value >>> 0, true);
    this.notifyWrite(pa, 4);
  }

  /** 64-bit values as (lo, hi) 32-bit halves: no BigInt on any path the CPU uses. */
  read64lo(pa: number): number {
    return this.view.getUint32(this.checkedOffset(pa, 8, false), true);
  }

  read64hi(pa: number): number {
    return this.view.getUint32(this.checkedOffset(pa, 8, false) + 4, true);
  }

  write64(pa: number, lo: number, hi: number): void {
    const off = this.checkedOffset(pa, 8, true);
    this.view.setUint32(off, lo >>> 0, true);
    this.view.setUint32(off + 4, hi >>> 0, true);
    this.notifyWrite(pa, 8);
  }

  private checkedOffset(pa: number, length: number, write: boolean): number {
    if (!this.isRam(pa, length)) throw new BusError(pa, write);
    return pa - this.ramBase;
  }
}
