// Which guest registers a compiled function must load at its entry.
//
// A register's local is loaded in the prologue only when the function may
// use the loaded value: a read before any write on some path from the entry,
// or a store of the local into the slot where it may not have been written
// yet. A register that every path writes before such a use starts as garbage
// (the local's zero), and nothing stores it as garbage:
//
// - an exit where it may be unwritten first reloads it from the slot (a
//   fixup: the slot still holds its value), so the shared tail that stores
//   every written register stores that value back;
// - the spill before an interpreter op skips it where it may be unwritten;
// - the fault handler stores it only at the fault points (`where`) where it
//   may have been written, and at those it certainly was.
//
// Where a register may be unwritten on one path and written on another (a
// fixup would lose the write, a store would store garbage), it is loaded.
//
// Translation records events in program order into segments (a region's
// blocks; an instruction's fast path and its interpreter call, which start
// from the same state: board/aarch64/jit/jit-interp-call.ts) with the edges
// between them. The analysis is a forward data flow over bit masks of the
// front end's registers (bit r for register r: A64's Xr, with SP at 31): G,
// the locals that may still be garbage, and D, those that may differ from
// the slot (written since the entry or the last reload). It knows no
// architecture (docs/block-compiler.md).

/**
 * What compiled functions load at entry (measuring: SALTY_JIT_ENTRY): 'slot' (the default) what this analysis
 * finds, with clean registers read from the slot; 'loads' what it finds, every read from the local; 'all' every
 * register the function uses (the frame before).
 */
export const ENTRY_MODE: 'slot' | 'loads' | 'all' = (() => {
  const v = typeof process === 'undefined' ? undefined : process.env.SALTY_JIT_ENTRY;
  return v === 'all' || v === 'loads' ? v : 'slot';
})();

const READ = 0;
/** A read from the slot, not the local: the local must not be dirty there. */
const SLOT_READ = 7;
const WRITE = 1;
/** The locals of a mask now equal the slot (the reload after an interpreter op). */
const CLEAN = 2;
/** A point the next pass decides for (an exit, or a spill before an interpreter op): a garbage local there must not be dirty. */
const PLAN = 3;
/** An exit: the mask is reloaded (a fixup), then every written register is stored by the function's tail. */
const EXIT = 4;
/** The spill before an interpreter op: the mask is stored; a dirty local it leaves out would be lost by the reload. */
const SPILL = 5;
/** A call that may throw (the value is its `where`): the handler stores, per register, what may be dirty there. */
const FAULT = 6;

/** The analysis of one function. */
export interface EntryPlan {
  /** Registers to load in the prologue (bit r). */
  readonly loaded: number;
  /** Per point (PLAN, EXIT or SPILL, in recording order): the locals that may be garbage there, loaded or not. */
  readonly garbage: Int32Array;
  /** Per read, in recording order: 1 when the register's local may be dirty there (the slot may be stale). */
  readonly readDirty: Uint8Array;
  /** Per fault point's `where`: the locals that may be dirty there. */
  readonly faultDirty: ReadonlyMap<number, number>;
  /** A fixup would overwrite a dirty local, or a spill leave one out: the code is wrong whatever is loaded. */
  readonly broken: boolean;
}

interface Segment {
  /** Triples: kind, value, point index. */
  readonly events: number[];
  succ: number[];
}

interface Out {
  need: number;
  broken: boolean;
  readonly garbage: Int32Array;
  readonly readDirty: Uint8Array;
  readonly faultDirty: Map<number, number>;
  readonly faultGarbage: Map<number, number>;
}

export class RegFlow {
  private readonly segs: Segment[] = [{ events: [], succ: [] }];
  private readonly blockSegs = new Map<number, number>([[0, 0]]);
  private cur = 0;
  private insnSeg = 0;
  private insnPos = 0;
  /** Points recorded so far (the index of the next). */
  points = 0;
  /** Set when the recording does not fit the model (then every register is loaded). */
  private invalid = false;
  private next = false;

  private segment(): number {
    this.segs.push({ events: [], succ: [] });
    return this.segs.length - 1;
  }

  private blockSeg(k: number): number {
    let s = this.blockSegs.get(k);
    if (s === undefined) this.blockSegs.set(k, (s = this.segment()));
    return s;
  }

  /** Further events belong to region block k (block 0 is the function's entry). */
  enterBlock(k: number): void {
    this.cur = this.blockSeg(k);
  }

  /** The code so far may continue at region block k's start. */
  linkBlock(k: number): void {
    const to = this.blockSeg(k);
    const s = this.segs[this.cur].succ;
    if (!s.includes(to)) s.push(to);
  }

  /** An instruction starts (alternative() branches from here). */
  startInsn(): void {
    this.insnSeg = this.cur;
    this.insnPos = this.segs[this.cur].events.length;
  }

  /**
   * The current instruction's other way (its interpreter call), from the state at its start: the events since
   * then become one branch, what follows another, until join(fast).
   */
  alternative(): number {
    const p = this.segs[this.insnSeg];
    if (this.insnSeg !== this.cur || p.succ.length > 0) this.invalid = true;
    const fast = this.segment();
    const slow = this.segment();
    this.segs[fast].events.push(...p.events.splice(this.insnPos));
    p.succ.push(fast, slow);
    this.cur = slow;
    return fast;
  }

  /** After alternative(): both ways continue here. */
  join(fast: number): void {
    const j = this.segment();
    this.segs[fast].succ.push(j);
    this.segs[this.cur].succ.push(j);
    this.cur = j;
    this.insnSeg = j;
    this.insnPos = 0;
  }

  private push(kind: number, v: number, p = -1): void {
    this.segs[this.cur].events.push(kind, v, p);
  }

  /** Reads recorded so far (the index of the next). */
  reads = 0;

  read(r: number): void {
    this.push(READ, r, this.reads++);
  }

  slotRead(r: number): void {
    this.push(SLOT_READ, r, this.reads++);
  }

  write(r: number): void {
    this.push(WRITE, r);
  }

  clean(mask: number): void {
    this.push(CLEAN, mask);
  }

  fault(where: number): void {
    this.push(FAULT, where);
  }

  /** A point decided by the next pass; returns its index. */
  plan(): number {
    this.push(PLAN, 0, this.points);
    return this.points++;
  }

  /** An exit reloading `fix` first; returns its index. */
  exit(fix: number): number {
    this.push(EXIT, fix, this.points);
    return this.points++;
  }

  /** A spill storing `stored`; returns its index. */
  spill(stored: number): number {
    this.push(SPILL, stored, this.points);
    return this.points++;
  }

  /**
   * The plan when the prologue loads at least `preload` and the function's tail stores `written`; `next`: for
   * the next pass, which reads from the slot where this plan's readDirty says the local is clean, else whether
   * this pass's code holds.
   */
  analyse(written: number, preload = 0, next = false): EntryPlan {
    this.next = next;
    const n = this.segs.length;
    const inG = new Int32Array(n);
    const inD = new Int32Array(n);
    const reached = new Uint8Array(n);
    inG[0] = ~preload;
    reached[0] = 1;
    const work = [0];
    while (work.length > 0) {
      const k = work.pop()!;
      const [g, d] = this.run(k, inG[k], inD[k], written);
      for (const m of this.segs[k].succ) {
        const ng = inG[m] | g;
        const nd = inD[m] | d;
        if (reached[m] === 0 || ng !== inG[m] || nd !== inD[m]) {
          reached[m] = 1;
          inG[m] = ng;
          inD[m] = nd;
          if (!work.includes(m)) work.push(m);
        }
      }
    }
    const out: Out = { need: 0, broken: false, garbage: new Int32Array(this.points), readDirty: new Uint8Array(this.reads), faultDirty: new Map(), faultGarbage: new Map() };
    for (let k = 0; k < n; k++) if (reached[k] === 1) this.run(k, inG[k], inD[k], written, out);
    let need = out.need;
    for (const [key, d] of out.faultDirty) need |= d & out.faultGarbage.get(key)!;
    if (this.invalid) need = ~0;
    return { loaded: need | preload, garbage: out.garbage, readDirty: out.readDirty, faultDirty: out.faultDirty, broken: out.broken };
  }

  /** Runs segment k's events from (g, d); with `out`, records the points and what must be loaded. */
  private run(k: number, g: number, d: number, written: number, out?: Out): [number, number] {
    const e = this.segs[k].events;
    for (let i = 0; i < e.length; i += 3) {
      const v = e[i + 1];
      switch (e[i]) {
        case READ:
        case SLOT_READ:
          if (out === undefined) break;
          out.readDirty[e[i + 2]] |= (d >>> v) & 1;
          if (this.next) out.need |= g & d & (1 << v);
          else if (e[i] === READ) out.need |= g & (1 << v);
          else if ((d & (1 << v)) !== 0) out.broken = true;
          break;
        case WRITE:
          g &= ~(1 << v);
          d |= 1 << v;
          break;
        case CLEAN:
          g &= ~v;
          d &= ~v;
          break;
        case FAULT:
          if (out !== undefined) {
            out.faultDirty.set(v, (out.faultDirty.get(v) ?? 0) | d);
            out.faultGarbage.set(v, (out.faultGarbage.get(v) ?? 0) | g);
          }
          break;
        default:
          if (out !== undefined) this.point(e[i], v, e[i + 2], g, d, written, out);
      }
    }
    return [g, d];
  }

  private point(kind: number, v: number, p: number, g: number, d: number, written: number, out: Out): void {
    out.garbage[p] |= g;
    if (kind === PLAN) out.need |= g & d;
    else if (kind === EXIT) {
      out.need |= g & written & ~v;
      if ((d & v) !== 0) out.broken = true;
    } else {
      out.need |= g & v;
      if ((d & ~v) !== 0) out.broken = true;
    }
  }
}
