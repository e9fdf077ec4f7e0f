// A 4-level radix tree of 512 entries a level, indexed by page number within a
// MemoryObject (2^36 pages). Each node is charged one 'MemoryObject metadata'
// frame while it exists; empty nodes are freed.

import { TABLE_ENTRIES } from '../arch/arch';

export const RADIX_LEVELS = 4;
export const RADIX_CAPACITY = TABLE_ENTRIES ** RADIX_LEVELS;

export interface NodeFrames {
  alloc(): number;
  free(pa: number): void;
}

interface Node {
  readonly pa: number;
  readonly slots: unknown[];
  used: number;
}

const SHIFT_DIV = [TABLE_ENTRIES ** 3, TABLE_ENTRIES ** 2, TABLE_ENTRIES, 1];

function slotOf(index: number, level: number): number {
  return Math.floor(index / SHIFT_DIV[level]) % TABLE_ENTRIES;
}

export class RadixTree<T> {
  private root: Node | null = null;
  private count = 0;
  private nodes = 0;

  constructor(private readonly frames: NodeFrames) {}

  get size(): number {
    return this.count;
  }

  /** Nodes (metadata frames) currently held. */
  get nodeCount(): number {
    return this.nodes;
  }

  get(index: number): T | undefined {
    let node = this.root;
    for (let level = 0; node && level < RADIX_LEVELS - 1; level++) node = node.slots[slotOf(index, level)] as Node | undefined ?? null;
    return node ? (node.slots[slotOf(index, RADIX_LEVELS - 1)] as T | undefined) : undefined;
  }

  set(index: number, value: T): void {
    checkIndex(index);
    if (value === undefined) throw new Error('RadixTree: undefined is not a storable value');
    this.root ??= this.newNode();
    const path: Node[] = [this.root];
    let node = this.root;
    for (let level = 0; level < RADIX_LEVELS - 1; level++) {
      const s = slotOf(index, level);
      let next = node.slots[s] as Node | undefined;
      if (!next) {
        try {
          next = this.newNode();
        } catch (e) {
          // No frame for a node (RAM exhausted): the nodes made on the way hold nothing, so they go back.
          this.pruneEmpty(path, index);
          throw e;
        }
        node.slots[s] = next;
        node.used++;
      }
      path.push(next);
      node = next;
    }
    const s = slotOf(index, RADIX_LEVELS - 1);
    if (node.slots[s] === undefined) {
      node.used++;
      this.count++;
    }
    node.slots[s] = value;
  }

  delete(index: number): T | undefined {
    if (!this.root) return undefined;
    const path: Node[] = [this.root];
    for (let level = 0; level < RADIX_LEVELS - 1; level++) {
      const next = path[level].slots[slotOf(index, level)] as Node | undefined;
      if (!next) return undefined;
      path.push(next);
    }
    const leaf = path[RADIX_LEVELS - 1];
    const s = slotOf(index, RADIX_LEVELS - 1);
    const old = leaf.slots[s] as T | undefined;
    if (old === undefined) return undefined;
    leaf.slots[s] = undefined;
    leaf.used--;
    this.count--;
    this.pruneEmpty(path, index);
    return old;
  }

  /** Visit every entry in index order. */
  forEach(fn: (index: number, value: T) => void): void {
    if (this.root) this.visit(this.root, 0, 0, fn);
  }

  entries(): [number, T][] {
    const out: [number, T][] = [];
    this.forEach((i, v) => out.push([i, v]));
    return out;
  }

  /** For the invariants pass: what disagrees between the counts kept and the nodes (empty: nothing). */
  check(): string[] {
    const problems: string[] = [];
    const found = { entries: 0, nodes: 0 };
    if (this.root) this.checkNode(this.root, 0, found, problems);
    if (found.entries !== this.count) problems.push(`${this.count} entries counted, ${found.entries} found`);
    if (found.nodes !== this.nodes) problems.push(`${this.nodes} nodes counted, ${found.nodes} found`);
    return problems;
  }

  private checkNode(node: Node, level: number, found: { entries: number; nodes: number }, problems: string[]): void {
    found.nodes++;
    let used = 0;
    for (const v of node.slots) {
      if (v === undefined) continue;
      used++;
      if (level === RADIX_LEVELS - 1) found.entries++;
      else this.checkNode(v as Node, level + 1, found, problems);
    }
    if (used !== node.used) problems.push(`level-${level} node 0x${node.pa.toString(16)} holds ${used} slots, counts ${node.used}`);
    if (used === 0) problems.push(`level-${level} node 0x${node.pa.toString(16)} is empty but was not freed`);
  }

  /** Every node's frame (the invariants pass checks their owner). */
  nodeFrames(): number[] {
    const out: number[] = [];
    const walk = (node: Node, level: number): void => {
      out.push(node.pa);
      if (level < RADIX_LEVELS - 1) for (const v of node.slots) if (v !== undefined) walk(v as Node, level + 1);
    };
    if (this.root) walk(this.root, 0);
    return out;
  }

  /** Drop every entry and free every node. */
  clear(): void {
    if (this.root) this.freeNode(this.root, 0);
    this.root = null;
    this.count = 0;
  }

  /** Frees the nodes at the end of path (the walk to index) that hold nothing, bottom up. */
  private pruneEmpty(path: Node[], index: number): void {
    for (let level = path.length - 1; level >= 0; level--) {
      const node = path[level];
      if (node.used > 0) return;
      this.frames.free(node.pa);
      this.nodes--;
      if (level === 0) this.root = null;
      else {
        path[level - 1].slots[slotOf(index, level - 1)] = undefined;
        path[level - 1].used--;
      }
    }
  }

  private visit(node: Node, level: number, base: number, fn: (index: number, value: T) => void): void {
    for (let s = 0; s < TABLE_ENTRIES; s++) {
      const v = node.slots[s];
      if (v === undefined) continue;
      const index = base + s * SHIFT_DIV[level];
      if (level === RADIX_LEVELS - 1) fn(index, v as T);
      else this.visit(v as Node, level + 1, index, fn);
    }
  }

  private freeNode(node: Node, level: number): void {
    if (level < RADIX_LEVELS - 1) for (const v of node.slots) if (v !== undefined) this.freeNode(v as Node, level + 1);
    this.frames.free(node.pa);
    this.nodes--;
  }

  private newNode(): Node {
    // Counted once its frame is there: an allocation that throws leaves the count as it was.
    const pa = this.frames.alloc();
    this.nodes++;
    return { pa, slots: new Array(TABLE_ENTRIES), used: 0 };
  }
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= RADIX_CAPACITY) throw new Error(`RadixTree: index ${index} out of range`);
}
