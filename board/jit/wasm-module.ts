// A minimal WebAssembly binary writer: one module of functions that import
// the board's memory and a few host functions, with LEB128 encoding and the
// opcodes the block compiler emits.

export const enum T {
  I32 = 0x7f,
  I64 = 0x7e,
  F64 = 0x7c,
  V128 = 0x7b,
}

/** Opcodes (the WebAssembly core specification's numbering). */
export const enum Op {
  Unreachable = 0x00,
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  Else = 0x05,
  Try = 0x06,
  Rethrow = 0x09,
  CatchAll = 0x19,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  BrTable = 0x0e,
  Return = 0x0f,
  Call = 0x10,
  CallIndirect = 0x11,
  Drop = 0x1a,
  Select = 0x1b,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  I32Load = 0x28,
  I64Load = 0x29,
  F64Load = 0x2b,
  I32Load8S = 0x2c,
  I32Load8U = 0x2d,
  I32Load16S = 0x2e,
  I32Load16U = 0x2f,
  I64Load8S = 0x30,
  I64Load8U = 0x31,
  I64Load16S = 0x32,
  I64Load16U = 0x33,
  I64Load32S = 0x34,
  I64Load32U = 0x35,
  I32Store = 0x36,
  I64Store = 0x37,
  F64Store = 0x39,
  I32Store8 = 0x3a,
  I32Store16 = 0x3b,
  F64Sub = 0xa1,
  F64ConvertI32S = 0xb7,
  I64Store8 = 0x3c,
  I64Store16 = 0x3d,
  I64Store32 = 0x3e,
  I32Const = 0x41,
  I64Const = 0x42,
  F64Const = 0x44,
  I32Eqz = 0x45,
  I32Eq = 0x46,
  I32Ne = 0x47,
  I32LtS = 0x48,
  I32LtU = 0x49,
  I32GtU = 0x4b,
  I32GeS = 0x4e,
  I32LeU = 0x4d,
  I64Eqz = 0x50,
  I64Eq = 0x51,
  I64Ne = 0x52,
  I64LtS = 0x53,
  I64LtU = 0x54,
  I64GtS = 0x55,
  I64GtU = 0x56,
  I64LeS = 0x57,
  I64LeU = 0x58,
  I64GeS = 0x59,
  I64GeU = 0x5a,
  F64Eq = 0x61,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Mul = 0x6c,
  I32And = 0x71,
  I32Or = 0x72,
  I32Xor = 0x73,
  I32Shl = 0x74,
  I32ShrS = 0x75,
  I32ShrU = 0x76,
  I32Rotr = 0x78,
  I64Clz = 0x79,
  I64Add = 0x7c,
  I64Sub = 0x7d,
  I64Mul = 0x7e,
  I64DivS = 0x7f,
  I64DivU = 0x80,
  I64And = 0x83,
  I64Or = 0x84,
  I64Xor = 0x85,
  I64Shl = 0x86,
  I64ShrS = 0x87,
  I64ShrU = 0x88,
  I64Rotr = 0x8a,
  F64Add = 0xa0,
  F64Mul = 0xa2,
  I32WrapI64 = 0xa7,
  I32TruncF64U = 0xab,
  I64TruncF64S = 0xb0,
  I64ExtendI32S = 0xac,
  I64ExtendI32U = 0xad,
  F64ConvertI64S = 0xb9,
  I64ReinterpretF64 = 0xbd,
  F64ReinterpretI64 = 0xbf,
  I64Extend8S = 0xc2,
  I64Extend16S = 0xc3,
  I64Extend32S = 0xc4,
}

/** Where LEB128 encoders write: a plain array (module sections) or a Code. */
interface ByteSink {
  push(byte: number): unknown;
}

/**
 * Buffers of released Codes, reused by new ones: a fresh Uint8Array of more than 64 bytes is a backing store
 * outside V8's heap (allocated, zeroed, tracked by the collector), and the buffers' allocations and growth were
 * a sixth of a batch's translation (bash's loop). Bounded: past it, released buffers are left to the collector.
 */
const spare: Uint8Array[] = [];
const SPARE_BUFFERS = 256;

/**
 * Bytes of one function body under construction, in a growing Uint8Array (a number[] per function made
 * most of the garbage of a compile: bash's loop compiles 1.2 MB of functions, copied again by wrapThrows).
 */
export class Code implements ByteSink {
  private buf: Uint8Array = spare.pop() ?? new Uint8Array(1024);
  private len = 0;
  /** Branch hints: pairs of (offset in b of an `if` or `br_if`, 1 likely / 0 unlikely), in increasing offsets. */
  readonly hints: number[] = [];

  /** The bytes so far (a view: writes go through, later appends are not in it). */
  get b(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  push(byte: number): void {
    if (this.len === this.buf.length) this.grow(this.len + 1);
    this.buf[this.len++] = byte;
  }

  /** An `if` whose then-branch is the likely one (the engine moves its else out of the way: see buildModule). */
  ifLikely(blockType: number): this {
    this.hints.push(this.len, 1);
    this.push(Op.If);
    this.push(blockType);
    return this;
  }

  /** A `br_if` to `depth` that is usually taken. */
  brIfLikely(depth: number): this {
    this.hints.push(this.len, 1);
    this.push(Op.BrIf);
    return this.u(depth);
  }

  /** Appends `from`'s bytes [start, end) with their branch hints. */
  append(from: Code, start = 0, end = from.len): this {
    const n = end - start;
    if (this.len + n > this.buf.length) this.grow(this.len + n);
    this.buf.set(from.buf.subarray(start, end), this.len);
    const h = from.hints;
    const shift = this.len - start;
    for (let k = 0; k < h.length; k += 2) if (h[k] >= start && h[k] < end) this.hints.push(h[k] + shift, h[k + 1]);
    this.len += n;
    return this;
  }

  private grow(need: number): void {
    const next = new Uint8Array(Math.max(need, 2 * this.buf.length, 256));
    next.set(this.buf.subarray(0, this.len));
    giveBack(this.buf);
    this.buf = next;
  }

  /**
   * The bytes are no longer needed (built into a module, copied into another Code, or a translation pass
   * thrown away): the buffer goes to the next Code. Views taken with `b` must not be used after this.
   */
  release(): void {
    giveBack(this.buf);
    this.buf = EMPTY;
    this.len = 0;
    this.hints.length = 0;
  }

  op(...ops: number[]): this {
    for (const o of ops) this.push(o);
    return this;
  }

  u(v: number): this {
    uleb(this, v);
    return this;
  }

  i32(v: number): this {
    this.push(Op.I32Const);
    sleb32(this, v | 0);
    return this;
  }

  /** i64.const of the 64-bit value (lo, hi) given as two 32-bit halves. */
  i64(lo: number, hi = lo < 0 ? -1 : 0): this {
    this.push(Op.I64Const);
    sleb64(this, lo >>> 0, hi | 0);
    return this;
  }

  f64(v: number): this {
    this.push(Op.F64Const);
    F64_SCRATCH[0] = v;
    for (let i = 0; i < 8; i++) this.push(F64_BYTES[i]);
    return this;
  }

  get(l: number): this {
    this.push(Op.LocalGet);
    uleb(this, l);
    return this;
  }

  set(l: number): this {
    this.push(Op.LocalSet);
    uleb(this, l);
    return this;
  }

  tee(l: number): this {
    this.push(Op.LocalTee);
    uleb(this, l);
    return this;
  }

  /** A load or store with alignment hint 0 and a constant offset. */
  mem(op: Op, offset: number): this {
    this.push(op);
    this.push(0);
    uleb(this, offset);
    return this;
  }

  call(f: number): this {
    this.push(Op.Call);
    uleb(this, f);
    return this;
  }
}

const EMPTY = new Uint8Array(0);

function giveBack(buf: Uint8Array): void {
  if (buf.length > 0 && spare.length < SPARE_BUFFERS) spare.push(buf);
}

export interface FuncType {
  readonly params: readonly T[];
  readonly results: readonly T[];
}

export interface ImportedFunc {
  readonly name: string;
  readonly type: FuncType;
}

export interface DefinedFunc {
  readonly type: FuncType;
  /** Extra locals beyond the parameters, in order. */
  readonly locals: readonly T[];
  readonly code: Code;
}

/**
 * The module's bytes: memory "m.mem" of `pages` pages (and with `table`, the
 * function table "m.table"), host functions from "h", the functions exported
 * as f0, f1, ...; `types` come first in the type section (call_indirect names them by index).
 */
export function buildModule(pages: number, imports: readonly ImportedFunc[], funcs: readonly DefinedFunc[], table = false, firstTypes: readonly FuncType[] = []): Uint8Array {
  const types: FuncType[] = [];
  // The first type of the same params and results; most functions share one FuncType object (a lookup by
  // identity before the string key: the joins per function were a tenth of a batch's translation).
  const byObject = new Map<FuncType, number>();
  const byKey = new Map<string, number>();
  const typeIndex = (t: FuncType): number => {
    let i = byObject.get(t);
    if (i !== undefined) return i;
    const key = `${t.params.join()}|${t.results.join()}`;
    i = byKey.get(key);
    if (i === undefined) {
      i = types.length;
      types.push(t);
      byKey.set(key, i);
    }
    byObject.set(t, i);
    return i;
  };
  for (const t of firstTypes) {
    const key = `${t.params.join()}|${t.results.join()}`;
    if (!byKey.has(key)) byKey.set(key, types.length);
    types.push(t);
  }
  const importTypes = imports.map((f) => typeIndex(f.type));
  const funcTypes = funcs.map((f) => typeIndex(f.type));
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(out, 1, (s) => {
    uleb(s, types.length);
    for (const t of types) {
      s.push(0x60);
      uleb(s, t.params.length);
      s.push(...t.params);
      uleb(s, t.results.length);
      s.push(...t.results);
    }
  });
  section(out, 2, (s) => {
    uleb(s, imports.length + (table ? 2 : 1));
    name(s, 'm');
    name(s, 'mem');
    s.push(0x02, 0x00);
    uleb(s, pages);
    if (table) {
      name(s, 'm');
      name(s, 'table');
      s.push(0x01, 0x70, 0x00, 0x00);
    }
    imports.forEach((f, i) => {
      name(s, 'h');
      name(s, f.name);
      s.push(0x00);
      uleb(s, importTypes[i]);
    });
  });
  section(out, 3, (s) => {
    uleb(s, funcs.length);
    for (const t of funcTypes) uleb(s, t);
  });
  section(out, 7, (s) => {
    uleb(s, funcs.length);
    for (let i = 0; i < funcs.length; i++) {
      const n = exportBytes(i);
      for (let k = 0; k < n.length; k++) s.push(n[k]);
      s.push(0x00);
      uleb(s, imports.length + i);
    }
  });
  // The code section, the bulk of the bytes, is written straight into the result (no copies through arrays).
  const heads: { h: number[] }[] = [];
  const bodies: Uint8Array[] = [];
  let content = ulebLength(funcs.length);
  for (const f of funcs) {
    const h: number[] = [];
    localDecls(h, f.locals);
    const b = f.code.b;
    const size = h.length + b.length + 1;
    content += ulebLength(size) + size;
    heads.push({ h });
    bodies.push(b);
  }
  branchHints(out, imports.length, funcs, heads);
  out.push(10);
  uleb(out, content);
  const bytes = new Uint8Array(out.length + content);
  bytes.set(out, 0);
  const sink = new ArraySink(bytes, out.length);
  uleb(sink, funcs.length);
  for (let i = 0; i < funcs.length; i++) {
    const h = heads[i].h;
    const b = bodies[i];
    uleb(sink, h.length + b.length + 1);
    for (let k = 0; k < h.length; k++) sink.push(h[k]);
    bytes.set(b, sink.at);
    sink.at += b.length;
    bytes[sink.at++] = Op.End;
  }
  return bytes;
}

/**
 * The branch hinting proposal's custom section (before the code section): each hint is the offset of an
 * `if` from the start of its function's body (the local declarations included) and its direction. Engines
 * that do not read it ignore it; V8 reads it with --experimental-wasm-branch-hinting and then compiles the
 * unlikely arm as deferred code (spills and reloads around its calls stay there, out of the likely path).
 */
function branchHints(out: number[], firstFunc: number, funcs: readonly DefinedFunc[], heads: readonly { h: number[] }[]): void {
  const hinted = funcs.map((f, i) => i).filter((i) => funcs[i].code.hints.length > 0);
  if (hinted.length === 0) return;
  section(out, 0, (s) => {
    name(s, 'metadata.code.branch_hint');
    uleb(s, hinted.length);
    for (const i of hinted) {
      const hints = funcs[i].code.hints;
      uleb(s, firstFunc + i);
      uleb(s, hints.length / 2);
      for (let k = 0; k < hints.length; k += 2) {
        uleb(s, heads[i].h.length + hints[k]);
        s.push(1, hints[k + 1]);
      }
    }
  });
}

/** Writes into a Uint8Array sized beforehand. */
class ArraySink implements ByteSink {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  push(byte: number): void {
    this.bytes[this.at++] = byte;
  }
}

/** Bytes of v's unsigned LEB128. */
function ulebLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** A function's local declarations: one (count, type) entry for each run of locals of one type. */
function localDecls(h: number[], locals: readonly T[]): void {
  let runs = 0;
  for (let i = 0; i < locals.length; i++) if (i === 0 || locals[i] !== locals[i - 1]) runs++;
  uleb(h, runs);
  for (let i = 0; i < locals.length; ) {
    let k = i + 1;
    while (k < locals.length && locals[k] === locals[i]) k++;
    uleb(h, k - i);
    h.push(locals[i]);
    i = k;
  }
}

function section(out: number[], id: number, fill: (s: number[]) => void): void {
  const s: number[] = [];
  fill(s);
  out.push(id);
  uleb(out, s.length);
  for (let k = 0; k < s.length; k++) out.push(s[k]);
}

/**
 * The name function i is exported as ("f" and its number), made once: a template string per function per module,
 * its bytes, and the lookup of an uninternalized key in the instance's exports were a tenth of a batch's time.
 */
export function exportName(i: number): string {
  while (EXPORT_NAMES.length <= i) EXPORT_NAMES.push(`f${EXPORT_NAMES.length}`);
  return EXPORT_NAMES[i];
}

const EXPORT_NAMES: string[] = [];
/** Each export name's bytes as `name` writes them (length, then the characters). */
const EXPORT_BYTES: number[][] = [];

function exportBytes(i: number): readonly number[] {
  while (EXPORT_BYTES.length <= i) {
    const b: number[] = [];
    name(b, exportName(EXPORT_BYTES.length));
    EXPORT_BYTES.push(b);
  }
  return EXPORT_BYTES[i];
}

function name(s: number[], text: string): void {
  uleb(s, text.length);
  for (let i = 0; i < text.length; i++) s.push(text.charCodeAt(i));
}

/** The bytes of an f64.const (little-endian, as the host's typed arrays are on every platform Node runs here). */
const F64_SCRATCH = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64_SCRATCH.buffer);

function uleb(out: ByteSink, v: number): void {
  // Local indices, types and most counts fit one byte; offsets and sizes below 2^32 take integer shifts.
  if (v < 0x80) {
    out.push(v);
    return;
  }
  if (v < 0x100000000) {
    for (;;) {
      const byte = v & 0x7f;
      v >>>= 7;
      if (v === 0) {
        out.push(byte);
        return;
      }
      out.push(byte | 0x80);
    }
  }
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb32(out: ByteSink, v: number): void {
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** Signed LEB128 of the 64-bit value hi:lo (lo unsigned, hi signed), 7 bits at a time across the halves. */
function sleb64(out: ByteSink, lo: number, hi: number): void {
  for (;;) {
    const byte = lo & 0x7f;
    // Shift the pair right arithmetically by 7.
    lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
    hi >>= 7;
    if ((hi === 0 && lo === 0 && (byte & 0x40) === 0) || (hi === -1 && lo === 0xffffffff && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}
