// A CFI parallel flash bank with the Intel/Sharp command set, as QEMU 7.2's
// pflash_cfi01 behaves on the virt board: two 16-bit chips side by side on a
// 32-bit bus, 256 KiB sectors (128 KiB per chip), manufacturer 0x89, device
// 0x18. Its storage lives in the board's memory after RAM, so code runs from
// it while it is in read-array mode; any command takes it out of that mode
// until Read Array (0xFF), as QEMU's ROM device switches to I/O mode.
// Buffered programs collect in a write buffer aligned on the address of the
// word-count cycle and reach the storage at the confirm; a word outside that
// window is a programming error and the confirm then discards the buffer,
// as QEMU 7.2 does (U-Boot's saveenv fails there on QEMU, and so here).

import type { RomDevice } from '../memory/physical-memory';

export const FLASH_BANK_SIZE = 0x0400_0000;
export const FLASH_SECTOR_SIZE = 0x4_0000;
export const FLASH_BASES = [0, FLASH_BANK_SIZE] as const;

const BANK_WIDTH = 4;
const DEVICE_WIDTH = 2;
const CHIPS = BANK_WIDTH / DEVICE_WIDTH;
const MANUFACTURER_ID = 0x89;
const DEVICE_ID = 0x18;
const CFI_TABLE_SIZE = 0x52;
/** Address bits below a chip's word index: log2(bank width). */
const QUERY_SHIFT = 2;
/** The write buffer: 2 KiB per chip (CFI 0x2A = 11), both chips' worth. */
const WRITE_BLOCK_SIZE = (1 << 11) * CHIPS;

const STATUS_READY = 0x80;
const STATUS_PROGRAM_ERROR = 0x10;
const STATUS_ERASE_ERROR = 0x20;

const CMD_READ_ARRAY = 0x00; // QEMU's reset value for the read-array state
const enum Cmd {
  ProgramAlt = 0x10,
  BlockErase = 0x20,
  ProgramByte = 0x40,
  ClearStatus = 0x50,
  LockSetup = 0x60,
  ReadStatus = 0x70,
  ReadId = 0x90,
  CfiQuery = 0x98,
  WriteToBuffer = 0xe8,
  AmdReset = 0xf0,
  ReadArray = 0xff,
  Confirm = 0xd0,
  LockBit = 0x01,
}

/** The CFI query table of one chip (the "QRY" block, system interface, geometry and Intel's "PRI" extension). */
function cfiTable(bankSize: number): Uint8Array {
  const t = new Uint8Array(CFI_TABLE_SIZE);
  const blocks = bankSize / FLASH_SECTOR_SIZE;
  const chipSector = FLASH_SECTOR_SIZE / CHIPS;
  t.set([0x51, 0x52, 0x59, 0x01, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00], 0x10); // "QRY", Intel command set, PRI at 0x31
  t.set([0x45, 0x55, 0x00, 0x00], 0x1b); // Vcc 4.5-5.5 V, no Vpp
  t.set([0x07, 0x07, 0x0a, 0x00, 0x04, 0x04, 0x04, 0x00], 0x1f); // typical and maximum timeouts
  t[0x27] = Math.log2(chipSector * blocks); // chip size
  t.set([0x02, 0x00, 0x0b, 0x00], 0x28); // x8/x16 interface, 2 KiB write buffer
  t[0x2c] = 1; // one erase-block region
  t.set([(blocks - 1) & 0xff, (blocks - 1) >> 8, (chipSector >> 8) & 0xff, chipSector >> 16], 0x2d);
  t.set([0x50, 0x52, 0x49, 0x31, 0x30], 0x31); // "PRI" version 1.0
  t[0x3f] = 1; // protection fields
  return t;
}

export class CfiFlash implements RomDevice {
  readonly name: string;
  readsAsMemory = true;
  private cmd = CMD_READ_ARRAY;
  private wcycle = 0;
  private status = STATUS_READY;
  private counter = 0;
  private readonly cfi: Uint8Array;
  /** Bank offset of the write buffer's window, or -1 when no buffered program is under way. */
  private blockOffset = -1;
  private readonly block = new Uint8Array(WRITE_BLOCK_SIZE);
  /** Called after the storage changed (program, erase): [offset, offset + length) of the bank. */
  onChange: (offset: number, length: number) => void = () => {};
  /** A read-only drive (-drive if=pflash,readonly=on): erase and program fail with QEMU's status bits. */
  readOnly = false;
  /** Called when the bank leaves read-array mode: decoded code from it is no longer valid. */
  onLeaveArrayMode: () => void = () => {};

  constructor(
    index: number,
    /** The bank's storage (a view of the board's memory). */
    readonly storage: Uint8Array,
  ) {
    this.name = `virt.flash${index}`;
    this.cfi = cfiTable(storage.length);
  }

  read(offset: number, size: number): number {
    const mask = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    switch (this.cmd) {
      case CMD_READ_ARRAY:
        return this.data(offset, size);
      case Cmd.ProgramAlt:
      case Cmd.BlockErase:
      case 0x28:
      case Cmd.ProgramByte:
      case Cmd.ClearStatus:
      case Cmd.LockSetup:
      case Cmd.ReadStatus:
      case Cmd.WriteToBuffer:
        return (size > DEVICE_WIDTH ? this.status | (this.status << 16) : this.status) >>> 0;
      case Cmd.ReadId:
        return (this.replicate(this.idQuery(offset)) & mask) >>> 0;
      case Cmd.CfiQuery: {
        const i = offset >>> QUERY_SHIFT;
        return (this.replicate(i < CFI_TABLE_SIZE ? this.cfi[i] : 0) & mask) >>> 0;
      }
      default:
        this.wcycle = 0;
        this.cmd = CMD_READ_ARRAY;
        return this.data(offset, size);
    }
  }

  write(offset: number, size: number, value: number): void {
    const cmd = value & 0xff;
    if (this.wcycle === 0) this.leaveArrayMode();
    switch (this.wcycle) {
      case 0:
        return this.firstCycle(offset, cmd);
      case 1:
        return this.secondCycle(offset, size, value, cmd);
      case 2:
        if (this.cmd !== Cmd.WriteToBuffer) return this.readArrayMode();
        this.bufferWord(offset, size, value);
        this.status |= STATUS_READY;
        if (this.counter === 0) this.wcycle++;
        this.counter--;
        return;
      case 3:
        if (this.cmd === Cmd.WriteToBuffer && cmd === Cmd.Confirm && this.readOnly) {
          this.status |= STATUS_PROGRAM_ERROR | STATUS_READY;
          this.blockOffset = -1;
          this.wcycle = 0;
          return;
        }
        if (this.cmd === Cmd.WriteToBuffer && cmd === Cmd.Confirm && (this.status & STATUS_PROGRAM_ERROR) === 0) {
          this.storage.set(this.block, this.blockOffset);
          this.onChange(this.blockOffset, WRITE_BLOCK_SIZE);
          this.blockOffset = -1;
          this.wcycle = 0;
          this.status |= STATUS_READY;
          return;
        }
        this.blockOffset = -1;
        return this.readArrayMode();
      default:
        return this.readArrayMode();
    }
  }

  private firstCycle(offset: number, cmd: number): void {
    switch (cmd) {
      case CMD_READ_ARRAY:
      case Cmd.AmdReset:
      case Cmd.ReadArray:
        return this.readArrayMode();
      case Cmd.ClearStatus:
        this.status = 0;
        return this.readArrayMode();
      case Cmd.ReadStatus:
      case Cmd.ReadId:
        this.cmd = cmd;
        return;
      case Cmd.BlockErase: {
        // QEMU erases at the first cycle; the confirm only ends the command.
        const start = offset - (offset % FLASH_SECTOR_SIZE);
        if (this.readOnly) this.status |= STATUS_ERASE_ERROR;
        else {
          this.storage.fill(0xff, start, start + FLASH_SECTOR_SIZE);
          this.onChange(start, FLASH_SECTOR_SIZE);
        }
        this.status |= STATUS_READY;
        break;
      }
      case Cmd.WriteToBuffer:
        this.status |= STATUS_READY;
        break;
      case Cmd.ProgramAlt:
      case Cmd.ProgramByte:
      case Cmd.LockSetup:
      case Cmd.CfiQuery:
        break;
      default:
        return this.readArrayMode();
    }
    this.wcycle++;
    this.cmd = cmd;
  }

  private secondCycle(offset: number, size: number, value: number, cmd: number): void {
    switch (this.cmd) {
      case Cmd.ProgramAlt:
      case Cmd.ProgramByte:
        this.program(offset, size, value);
        this.wcycle = 0;
        return;
      case Cmd.BlockErase:
        if (cmd !== Cmd.Confirm) return this.readArrayMode();
        this.wcycle = 0;
        this.status |= STATUS_READY;
        return;
      case Cmd.WriteToBuffer:
        // The word count minus one, from one chip's lane; the buffer's window is aligned on this cycle's address.
        this.counter = value & 0xffff;
        this.wcycle++;
        this.blockOffset = offset - (offset % WRITE_BLOCK_SIZE);
        this.block.set(this.storage.subarray(this.blockOffset, this.blockOffset + WRITE_BLOCK_SIZE));
        return;
      case Cmd.LockSetup:
        // Lock (0x01) and unlock (0xD0) are accepted; QEMU keeps no lock bits.
        if (cmd !== Cmd.Confirm && cmd !== Cmd.LockBit) return this.readArrayMode();
        this.wcycle = 0;
        this.status |= STATUS_READY;
        return;
      case Cmd.CfiQuery:
        if (cmd === Cmd.ReadArray) this.readArrayMode();
        return; // any other write leaves the query mode as it is
      default:
        return this.readArrayMode();
    }
  }

  private program(offset: number, size: number, value: number): void {
    if (offset + size > this.storage.length || this.readOnly) {
      this.status |= STATUS_PROGRAM_ERROR | STATUS_READY;
      return;
    }
    for (let k = 0; k < size; k++) this.storage[offset + k] = (value >>> (8 * k)) & 0xff;
    this.onChange(offset, size);
    this.status |= STATUS_READY;
  }

  private bufferWord(offset: number, size: number, value: number): void {
    const at = offset - this.blockOffset;
    if (this.blockOffset < 0 || at < 0 || at + size > WRITE_BLOCK_SIZE) {
      this.status |= STATUS_PROGRAM_ERROR;
      return;
    }
    for (let k = 0; k < size; k++) this.block[at + k] = (value >>> (8 * k)) & 0xff;
  }

  private data(offset: number, size: number): number {
    const s = this.storage;
    if (size === 1) return s[offset];
    if (size === 2) return s[offset] | (s[offset + 1] << 8);
    return (s[offset] | (s[offset + 1] << 8) | (s[offset + 2] << 16) | (s[offset + 3] << 24)) >>> 0;
  }

  /** Manufacturer (index 0) and device (1) codes; the block lock status (2) and the rest read 0. */
  private idQuery(offset: number): number {
    const i = (offset >>> QUERY_SHIFT) & 0xff;
    return i === 0 ? MANUFACTURER_ID : i === 1 ? DEVICE_ID : 0;
  }

  /** One chip's 16-bit answer on both halves of the 32-bit bus. */
  private replicate(v: number): number {
    return (v & 0xffff) | ((v & 0xffff) << 16);
  }

  private leaveArrayMode(): void {
    if (!this.readsAsMemory) return;
    this.readsAsMemory = false;
    this.onLeaveArrayMode();
  }

  private readArrayMode(): void {
    this.readsAsMemory = true;
    this.wcycle = 0;
    this.cmd = CMD_READ_ARRAY;
  }

  /** Loads an image at the start of the bank (QEMU's -bios); false when it does not fit. */
  loadImage(bytes: Uint8Array): boolean {
    if (bytes.length > this.storage.length) return false;
    this.storage.set(bytes, 0);
    this.onChange(0, bytes.length);
    return true;
  }
}
