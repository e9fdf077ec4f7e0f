// How many entries of each translation table are in use, so a backend can free
// a lower table the moment its last entry goes (an unmap that empties a level-3
// table frees it, and its parent if that empties in turn; never the root).

import type { PhysicalRam, TableFrames } from './arch';

export class TableOccupancy {
  private readonly used = new Map<number, number>();
  /** The walk just made: table at each level (0 = root) and the entry address used in it. */
  readonly tables = [0, 0, 0, 0];
  readonly slots = [0, 0, 0, 0];

  count(table: number): number {
    return this.used.get(table) ?? 0;
  }

  add(table: number, delta: number): void {
    this.used.set(table, this.count(table) + delta);
  }

  forget(table: number): void {
    this.used.delete(table);
  }

  /**
   * After the leaf entry at level `leafLevel` of the recorded walk was cleared:
   * free every table on the way up that holds nothing now. Returns how many were freed.
   */
  releaseEmpty(leafLevel: number, ram: PhysicalRam, frames: TableFrames): number {
    this.add(this.tables[leafLevel], -1);
    let freed = 0;
    for (let level = leafLevel; level > 0 && this.count(this.tables[level]) === 0; level--) {
      const table = this.tables[level];
      ram.write64(this.slots[level - 1], 0, 0);
      this.forget(table);
      frames.free(table);
      this.add(this.tables[level - 1], -1);
      freed++;
    }
    return freed;
  }
}
