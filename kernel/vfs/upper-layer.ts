// The upper (in-memory) layer of the overlay: a map from absolute paths to
// nodes that also keeps, for each directory path, the names of its entries
// in the map, so that listing a directory reads its own entries instead of
// scanning every path of the layer (a directory of 20000 files made each
// getdents64 walk the whole layer). Names keep the order they were first
// set in, as the map's own iteration does.

export class UpperLayer<V> extends Map<string, V> {
  private readonly names = new Map<string, Set<string>>();

  override set(path: string, node: V): this {
    super.set(path, node);
    // Map's constructor calls set before this class's fields exist (never with entries here, but be safe).
    if (this.names !== undefined && path !== '/') {
      const dir = dirOf(path);
      let set = this.names.get(dir);
      if (!set) this.names.set(dir, (set = new Set()));
      set.add(path.slice(dir === '/' ? 1 : dir.length + 1));
    }
    return this;
  }

  override delete(path: string): boolean {
    const had = super.delete(path);
    if (had && path !== '/') {
      const dir = dirOf(path);
      const set = this.names.get(dir);
      set?.delete(path.slice(dir === '/' ? 1 : dir.length + 1));
      if (set?.size === 0) this.names.delete(dir);
    }
    return had;
  }

  override clear(): void {
    super.clear();
    this.names.clear();
  }

  /** The names the layer holds directly under the directory path, with their nodes. */
  *childrenOf(dir: string): IterableIterator<[string, V]> {
    const set = this.names.get(dir);
    if (!set) return;
    const prefix = dir === '/' ? '/' : dir + '/';
    for (const name of set) yield [name, super.get(prefix + name) as V];
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
