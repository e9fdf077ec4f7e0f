import { ElfError } from './elf-error';

const TWO_POW_32 = 0x1_0000_0000;
/** High halves at or above this make a value of 2^53 or more, which a number cannot hold exactly. */
const EXACT_HIGH_LIMIT = 0x20_0000;

export type Fail = (problem: string) => ElfError;

/**
 * Little-endian reads of ELF fields straight from the file. 64-bit fields are
 * read as two 32-bit halves; one too large for a number is rejected as absurd
 * rather than rounded.
 */
export class ElfFields {
  private readonly view: DataView;

  constructor(
    bytes: Uint8Array,
    private readonly fail: Fail,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(offset: number): number {
    return this.view.getUint8(offset);
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }

  /** The 64-bit field at offset, named `what` in the message if it is absurdly large. */
  u64(offset: number, what: string): number {
    const low = this.view.getUint32(offset, true);
    const high = this.view.getUint32(offset + 4, true);
    if (high >= EXACT_HIGH_LIMIT) {
      const text = `0x${high.toString(16)}${low.toString(16).padStart(8, '0')}`;
      throw this.fail(`${what} is ${text}, an absurd value (2^53 or more)`);
    }
    return high * TWO_POW_32 + low;
  }

  /**
   * A virtual address that may lie in the upper (kernel) half: a canonical
   * 48-bit address with bits 63:48 all ones comes back as its signed value
   * (exact, as the CPU's addresses are); any other value as u64 does.
   */
  address(offset: number, what: string): number {
    const high = this.view.getUint32(offset + 4, true);
    if (high >= UPPER_HALF_HIGH) return (high | 0) * TWO_POW_32 + this.view.getUint32(offset, true);
    return this.u64(offset, what);
  }
}

/** High word of the lowest canonical upper-half address, 0xFFFF_8000_0000_0000. */
const UPPER_HALF_HIGH = 0xffff8000;
