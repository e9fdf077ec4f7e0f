// Reads a flattened device tree back into nested objects (tests only).

export interface ParsedNode {
  name: string;
  props: Map<string, Uint8Array>;
  children: ParsedNode[];
}

export function parseDtb(b: Uint8Array): { header: number[]; root: ParsedNode } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const header = Array.from({ length: 10 }, (_, i) => v.getUint32(4 * i));
  const [, , structOff, stringsOff] = header;
  const strAt = (off: number) => {
    let e = off;
    while (b[e] !== 0) e++;
    return new TextDecoder().decode(b.subarray(off, e));
  };
  let p = structOff;
  const stack: ParsedNode[] = [];
  let root: ParsedNode | undefined;
  for (;;) {
    const tag = v.getUint32(p);
    p += 4;
    if (tag === 1) {
      const name = strAt(p);
      p += (name.length + 4) & ~3;
      const n: ParsedNode = { name, props: new Map(), children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(n);
      else root = n;
      stack.push(n);
    } else if (tag === 2) {
      stack.pop();
    } else if (tag === 3) {
      const len = v.getUint32(p);
      const name = strAt(stringsOff + v.getUint32(p + 4));
      stack[stack.length - 1].props.set(name, b.slice(p + 8, p + 8 + len));
      p += 8 + ((len + 3) & ~3);
    } else if (tag === 4) {
      continue;
    } else {
      break;
    }
  }
  return { header, root: root! };
}

export function child(n: ParsedNode, name: string): ParsedNode | undefined {
  return n.children.find((c) => c.name === name);
}

export function cellsOf(value: Uint8Array): number[] {
  const v = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return Array.from({ length: value.length / 4 }, (_, i) => v.getUint32(4 * i));
}

export function text(value: Uint8Array): string[] {
  return new TextDecoder().decode(value).split('\0').slice(0, -1);
}
