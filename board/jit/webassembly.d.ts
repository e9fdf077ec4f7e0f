// The WebAssembly module API the block compiler uses (merged with board/memory/webassembly.d.ts).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
declare namespace WebAssembly {
  class Table {
    constructor(descriptor: { initial: number; element: 'anyfunc' });
    readonly length: number;
    grow(delta: number): number;
    set(index: number, value: unknown): void;
  }
}
