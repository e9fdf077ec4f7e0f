// One function's 256-byte PCI configuration space as QEMU 7.2's PCI core
// keeps it for a conventional (type 0) function: read-only identity, the
// writable bits QEMU allows (command 0x0507, cache line size, interrupt line,
// BAR address bits, the ROM enable bit, everything after 0x40 that no
// capability covers), write-one-to-clear status bits, and the BARs, which
// decode only while the command register enables their space and hold an
// address other than 0. Capabilities are chained as QEMU chains them: each new
// one goes to the head of the list, at the first free offset from 0x40.

import type { MmioDevice } from '../memory/physical-memory';

export const PCI_COMMAND = 0x04;
export const PCI_STATUS = 0x06;
const CMD_IO = 0x1;
const CMD_MEMORY = 0x2;
export const CMD_MASTER = 0x4;
const CMD_SERR = 0x100;
export const CMD_INTX_DISABLE = 0x400;
/** Status: the INTx line is asserted; a capability list exists. */
export const STATUS_INTERRUPT = 0x08;
const STATUS_CAP_LIST = 0x10;
/** Status bits a write of one clears (parity, target/master aborts, SERR, parity error). */
const STATUS_W1C = 0xf900;
const HEADER_END = 0x40;
const ROM_ADDRESS = 0x30;

export type BarKind = 'io' | 'mem32' | 'mem64-pref';

export interface Bar {
  readonly index: number;
  readonly size: number;
  readonly kind: BarKind;
  readonly region: MmioDevice;
}

export interface PciIdentity {
  readonly vendor: number;
  readonly device: number;
  readonly revision: number;
  /** Class, subclass and programming interface, as 0xCCSSPP. */
  readonly classCode: number;
  readonly subsystemVendor: number;
  readonly subsystem: number;
  /** 1 = INTA ... 4 = INTD, 0 = none. */
  readonly interruptPin: number;
}

/** A region that reads all ones and ignores writes: what an unassigned PCI address answers on QEMU's virt. */
export const UNASSIGNED: MmioDevice = {
  name: 'pci-unassigned',
  read: (_o, size) => (size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff),
  write: () => undefined,
};

export class PciFunction {
  readonly config = new Uint8Array(256);
  private readonly wmask = new Uint8Array(256);
  private readonly w1cmask = new Uint8Array(256);
  readonly bars: (Bar | undefined)[] = new Array<Bar | undefined>(6).fill(undefined);
  private romSize = 0;
  private rom: MmioDevice = UNASSIGNED;
  private nextCap = HEADER_END;
  /** Called before a read of the configuration space (QEMU's config_read hooks). */
  onConfigRead: ((offset: number, size: number) => void) | undefined;
  /** Called after a write to the configuration space (the device may react, as QEMU's config_write hooks do). */
  onConfigWrite: ((offset: number, size: number) => void) | undefined;

  constructor(readonly name: string, id: PciIdentity) {
    this.set16(0x00, id.vendor);
    this.set16(0x02, id.device);
    this.config[0x08] = id.revision;
    this.config[0x09] = id.classCode & 0xff;
    this.set16(0x0a, id.classCode >>> 8);
    this.set16(0x2c, id.subsystemVendor);
    this.set16(0x2e, id.subsystem);
    this.config[0x3d] = id.interruptPin;
    this.setMask16(this.wmask, PCI_COMMAND, CMD_IO | CMD_MEMORY | CMD_MASTER | CMD_SERR | CMD_INTX_DISABLE);
    this.setMask16(this.w1cmask, PCI_STATUS, STATUS_W1C);
    this.wmask[0x0c] = 0xff;
    this.wmask[0x3c] = 0xff;
    this.wmask.fill(0xff, HEADER_END);
  }

  /** A BAR of `size` bytes (a power of two); a 64-bit BAR takes the next index too. */
  addBar(bar: Bar): void {
    const at = 0x10 + 4 * bar.index;
    const mask = ~(bar.size - 1) >>> 0;
    const low = bar.kind === 'io' ? 0x1 : bar.kind === 'mem32' ? 0x0 : 0xc;
    this.set32(at, low);
    this.setMask32(this.wmask, at, bar.kind === 'io' ? mask & ~0x3 : mask & ~0xf);
    if (bar.kind === 'mem64-pref') this.setMask32(this.wmask, at + 4, 0xffffffff);
    this.bars[bar.index] = bar;
  }

  /** The expansion ROM BAR: `size` bytes, decoded while its enable bit is set. */
  addRom(size: number, region: MmioDevice): void {
    this.romSize = size;
    this.rom = region;
    this.setMask32(this.wmask, ROM_ADDRESS, (~(size - 1) | 1) >>> 0);
  }

  /** Adds a capability (its bytes from the ID on; the next pointer is filled in) and returns its offset. */
  addCapability(bytes: Uint8Array): number {
    const at = this.nextCap;
    this.config.set(bytes, at);
    this.config[at + 1] = this.config[0x34];
    this.config[0x34] = at;
    this.config[PCI_STATUS] |= STATUS_CAP_LIST;
    this.wmask.fill(0, at, at + bytes.length);
    this.nextCap = at + bytes.length;
    return at;
  }

  /** Makes bytes of a capability writable (QEMU's per-capability wmask). */
  writable(offset: number, mask: number, bytes: number): void {
    for (let i = 0; i < bytes; i++) this.wmask[offset + i] = (mask >>> (8 * i)) & 0xff;
  }

  read(offset: number, size: number): number {
    if (offset + size > 256) return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    this.onConfigRead?.(offset, size);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.config[offset + i];
    return v;
  }

  write(offset: number, size: number, value: number): void {
    if (offset + size > 256) return;
    for (let i = 0; i < size; i++) {
      const at = offset + i;
      const b = (value >>> (8 * i)) & 0xff;
      const w = this.wmask[at];
      this.config[at] = ((this.config[at] & ~w) | (b & w)) & ~(b & this.w1cmask[at]);
    }
    this.onConfigWrite?.(offset, size);
  }

  get command(): number {
    return this.config[PCI_COMMAND] | (this.config[PCI_COMMAND + 1] << 8);
  }

  /** The address BAR `i` decodes at, or undefined while it does not decode. */
  barAddress(i: number): number | undefined {
    const bar = this.bars[i];
    if (bar === undefined) return undefined;
    const lo = this.get32(0x10 + 4 * i);
    if (bar.kind === 'io') {
      const a = (lo & ~0x3) >>> 0;
      return this.command & CMD_IO && a !== 0 && a + bar.size <= 0x1_0000_0000 ? a : undefined;
    }
    const hi = bar.kind === 'mem64-pref' ? this.get32(0x14 + 4 * i) : 0;
    const a = hi * 4294967296 + ((lo & ~0xf) >>> 0);
    return this.command & CMD_MEMORY && a !== 0 ? a : undefined;
  }

  /** The region and offset an access to `addr` of the I/O or memory space reaches, if a BAR (or the ROM) decodes it. */
  decode(io: boolean, addr: number): { region: MmioDevice; offset: number } | undefined {
    for (const bar of this.bars) {
      if (bar === undefined || (bar.kind === 'io') !== io) continue;
      const base = this.barAddress(bar.index);
      if (base !== undefined && addr >= base && addr < base + bar.size) return { region: bar.region, offset: addr - base };
    }
    if (!io && this.romSize > 0) {
      const rom = this.get32(ROM_ADDRESS);
      const base = (rom & ~0x7ff) >>> 0;
      if (rom & 1 && this.command & CMD_MEMORY && base !== 0 && addr >= base && addr < base + this.romSize) return { region: this.rom, offset: addr - base };
    }
    return undefined;
  }

  /** Sets or clears the status register's interrupt bit; true when the INTx line is then asserted (not disabled by the command register). */
  setIntx(level: boolean): boolean {
    if (level) this.config[PCI_STATUS] |= STATUS_INTERRUPT;
    else this.config[PCI_STATUS] &= ~STATUS_INTERRUPT;
    return level && (this.command & CMD_INTX_DISABLE) === 0;
  }

  set16(at: number, v: number): void {
    this.config[at] = v & 0xff;
    this.config[at + 1] = (v >>> 8) & 0xff;
  }

  set32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.config[at + i] = (v >>> (8 * i)) & 0xff;
  }

  get32(at: number): number {
    return (this.config[at] | (this.config[at + 1] << 8) | (this.config[at + 2] << 16) | (this.config[at + 3] << 24)) >>> 0;
  }

  private setMask16(m: Uint8Array, at: number, v: number): void {
    m[at] = v & 0xff;
    m[at + 1] = (v >>> 8) & 0xff;
  }

  private setMask32(m: Uint8Array, at: number, v: number): void {
    for (let i = 0; i < 4; i++) m[at + i] = (v >>> (8 * i)) & 0xff;
  }
}
