/** Reads an initial process stack back from its bytes, the way a C runtime walks it. */
export interface ParsedStack {
  argc: number;
  argvPointers: number[];
  envpPointers: number[];
  auxv: Array<[number, number]>;
  /** Address one past AT_NULL's value. */
  tablesEnd: number;
}

export class StackMemory {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  contains(address: number, length = 1): boolean {
    return address >= this.base && address + length <= this.base + this.bytes.length;
  }

  word(address: number): number {
    if (!this.contains(address, 8)) throw new RangeError(`word at 0x${address.toString(16)} is outside the stack`);
    const low = this.view.getUint32(address - this.base, true);
    const high = this.view.getUint32(address - this.base + 4, true);
    return high * 0x1_0000_0000 + low;
  }

  cString(address: number): string {
    if (!this.contains(address)) throw new RangeError(`string at 0x${address.toString(16)} is outside the stack`);
    const from = address - this.base;
    const end = this.bytes.indexOf(0, from);
    if (end < 0) throw new RangeError('unterminated string');
    return new TextDecoder().decode(this.bytes.subarray(from, end));
  }

  slice(address: number, length: number): Uint8Array {
    if (!this.contains(address, length)) throw new RangeError('slice outside the stack');
    return this.bytes.subarray(address - this.base, address - this.base + length);
  }
}

export function parseStack(memory: StackMemory, sp: number): ParsedStack {
  let at = sp;
  const next = (): number => {
    const value = memory.word(at);
    at += 8;
    return value;
  };
  const argc = next();
  const argvPointers: number[] = [];
  for (let p = next(); p !== 0; p = next()) argvPointers.push(p);
  const envpPointers: number[] = [];
  for (let p = next(); p !== 0; p = next()) envpPointers.push(p);
  const auxv: Array<[number, number]> = [];
  for (;;) {
    const type = next();
    const value = next();
    auxv.push([type, value]);
    if (type === 0) break;
  }
  return { argc, argvPointers, envpPointers, auxv, tablesEnd: at };
}
