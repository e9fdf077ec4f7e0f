// A flattened device tree (DTB, version 17) writer: nodes with properties in the
// order given, a strings block without duplicates, and a fixed total size.

export interface DtNode {
  readonly name: string;
  readonly props: ReadonlyArray<readonly [string, Uint8Array]>;
  readonly children: readonly DtNode[];
}

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const RESERVE_MAP_OFFSET = 48;
const STRUCT_OFFSET = RESERVE_MAP_OFFSET + 16;

export function cells(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setUint32(4 * i, x >>> 0));
  return out;
}

/** A 64-bit value as two cells (exact for numbers below 2^53). */
export function cells64(...values: number[]): Uint8Array {
  return cells(...values.flatMap((x) => [Math.floor(x / 4294967296), x % 4294967296]));
}

export function strings(...values: string[]): Uint8Array {
  return new TextEncoder().encode(values.map((s) => s + '\0').join(''));
}

export const EMPTY = new Uint8Array(0);

export function node(name: string, props: Array<readonly [string, Uint8Array]>, children: DtNode[] = []): DtNode {
  return { name, props, children };
}

class StructWriter {
  private bytes: number[] = [];
  private readonly names: string[] = [];
  private readonly nameOffsets = new Map<string, number>();
  private stringsSize = 0;

  u32(v: number): void {
    this.bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }

  raw(data: ArrayLike<number>): void {
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
    while (this.bytes.length % 4 !== 0) this.bytes.push(0);
  }

  nameOffset(name: string): number {
    let off = this.nameOffsets.get(name);
    if (off === undefined) {
      off = this.stringsSize;
      this.nameOffsets.set(name, off);
      this.names.push(name);
      this.stringsSize += name.length + 1;
    }
    return off;
  }

  node(n: DtNode): void {
    this.u32(FDT_BEGIN_NODE);
    this.raw(new TextEncoder().encode(n.name + '\0'));
    for (const [name, value] of n.props) {
      this.u32(FDT_PROP);
      this.u32(value.length);
      this.u32(this.nameOffset(name));
      this.raw(value);
    }
    for (const c of n.children) this.node(c);
    this.u32(FDT_END_NODE);
  }

  get structBytes(): number[] {
    return this.bytes;
  }

  get stringsBytes(): Uint8Array {
    return strings(...this.names);
  }
}

/** The blob of a tree whose root is `root`, padded to `totalSize` bytes (the free space a guest may use). */
export function buildDtb(root: DtNode, totalSize: number, bootCpu = 0): Uint8Array {
  const w = new StructWriter();
  w.node(root);
  w.u32(FDT_END);
  const struct = w.structBytes;
  const strs = w.stringsBytes;
  const stringsOffset = STRUCT_OFFSET + struct.length;
  const used = stringsOffset + strs.length;
  if (used > totalSize) throw new Error(`device tree needs ${used} bytes, more than ${totalSize}`);
  const out = new Uint8Array(totalSize);
  const v = new DataView(out.buffer);
  const header = [FDT_MAGIC, totalSize, STRUCT_OFFSET, stringsOffset, RESERVE_MAP_OFFSET, 17, 16, bootCpu, strs.length, struct.length];
  header.forEach((x, i) => v.setUint32(4 * i, x));
  out.set(struct, STRUCT_OFFSET);
  out.set(strs, stringsOffset);
  return out;
}
