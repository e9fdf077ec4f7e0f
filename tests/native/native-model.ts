// A TypeScript model of the native objects, independent of the kernel's code:
// slots holding capabilities (rights, derivation), untypeds, MemoryObjects
// (size, source untyped, which pages are resident), VSpaces (regions) and
// capability spaces, endpoints, notifications and threads (kernel/native's IPC
// half: the labels that answer without blocking or starting a thread), badges. predict() says what an invocation must answer and how
// the objects change; the property test runs it beside the real kernel.
// Out of model: running out of memory (the test gives a large untyped).

const E = { ok: 0, cap: 1, type: 2, label: 3, arg: 4, range: 5, align: 6, rights: 7, occupied: 8, overlap: 10, noReply: 13, illegal: 14 } as const;
const R = { read: 1, write: 2, exec: 4, map: 8, grant: 16, all: 31 } as const;
const NO_SLOT = 0xffff;
const PAGE = 4096;
const SLOTS = 256;

export type Kind = 'untyped' | 'memory-object' | 'vspace' | 'cspace' | 'thread' | 'debug' | 'endpoint' | 'notification';

export interface MRegion {
  start: number;
  end: number;
  mo: MObj;
  moPage: number;
  perms: number;
  limit: number;
}

export interface MObj {
  readonly kind: Kind;
  readonly pages: number;
  /** The untyped an object was made from (its frames' source), null for the kernel's. */
  readonly source: MObj | null;
  resident: Set<number>;
  regions: MRegion[];
  /** A capability space other than the process's own (its slots stay empty here). */
  readonly foreign: boolean;
  refs: number;
  dead: boolean;
  /** A foreign capability space's occupied slots (mint-from fills them). */
  readonly held: Map<number, MCap>;
  /** A thread's capability space and VSpace, once configured. */
  bound: readonly [MObj, MObj] | null;
  /** A notification's word. */
  word: number;
}

export interface MCap {
  readonly obj: MObj;
  readonly rights: number;
  parent: MCap | null;
  readonly children: Set<MCap>;
  slot: number;
  /** The foreign capability space holding it; null: the process's own. */
  readonly space: MObj | null;
  /** An endpoint or notification capability's badge (0: none). */
  readonly badge: number;
}

export interface Prediction {
  readonly error: number;
  /** The value the kernel must answer; undefined: not modelled (free bytes). */
  readonly value?: number;
  readonly apply?: () => void;
}

const whole = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const within = (rights: number, of: number): boolean => (rights & ~of) === 0;
const fail = (error: number): Prediction => ({ error, value: 0 });

export function newObj(kind: Kind, pages = 0, source: MObj | null = null, foreign = false): MObj {
  return { kind, pages, source, resident: new Set(), regions: [], foreign, refs: 0, dead: false, held: new Map(), bound: null, word: 0 };
}

export class NativeModel {
  readonly slots: (MCap | null)[] = new Array(SLOTS).fill(null);

  constructor(private readonly userTop: number) {}

  /** A capability in slot; a derived one keeps its parent's badge unless given one. */
  place(slot: number, obj: MObj, rights: number, parent: MCap | null, space: MObj | null = null, badge = 0): MCap {
    const cap: MCap = { obj, rights, parent, children: new Set(), slot, space, badge: badge || (parent && parent.obj === obj ? parent.badge : 0) };
    parent?.children.add(cap);
    this.setSlot(space, slot, cap);
    obj.refs++;
    return cap;
  }

  /** A slot of the own space (space null) or of a foreign one. */
  private slotOf(space: MObj | null, slot: number): MCap | null {
    if (!whole(slot) || slot >= SLOTS) return null;
    return space ? (space.held.get(slot) ?? null) : this.slots[slot];
  }

  private setSlot(space: MObj | null, slot: number, cap: MCap | null): void {
    if (!space) this.slots[slot] = cap;
    else if (cap) space.held.set(slot, cap);
    else space.held.delete(slot);
  }

  predict(slot: number, label: number, a: readonly number[]): Prediction {
    const cap = this.live(slot);
    if (!cap) return fail(E.cap);
    switch (cap.obj.kind) {
      case 'untyped':
        return this.untyped(cap, label, a);
      case 'memory-object':
        return this.memoryObject(cap, label, a);
      case 'vspace':
        return this.vspace(cap, label, a);
      case 'cspace':
        return label === 0x44 ? this.mintFrom(cap, a) : this.cspace(cap, label, a);
      case 'endpoint':
        return this.endpoint(cap, label, a);
      case 'thread':
        return this.thread(cap, label, a);
      case 'notification':
        return this.notification(cap, label);
      default:
        // The thread and the console: the guest only uses them to report and exit (not modelled).
        return { error: E.ok };
    }
  }

  private live(slot: number): MCap | null {
    if (!whole(slot) || slot >= SLOTS) return null;
    const c = this.slots[slot];
    return c && !c.obj.dead ? c : null;
  }

  private ofKind(slot: number, kind: Kind): MCap | number {
    const c = this.live(slot);
    if (!c) return E.cap;
    return c.obj.kind === kind ? c : E.type;
  }

  private emptySlot(slot: number): number {
    if (!whole(slot) || slot >= SLOTS) return E.range;
    return this.slots[slot] ? E.occupied : E.ok;
  }

  private untyped(cap: MCap, label: number, [code, dest, pages]: readonly number[]): Prediction {
    if (label === 0x11) return { error: E.ok };
    if (label !== 0x10) return fail(E.label);
    if (!within(R.write, cap.rights)) return fail(E.rights);
    const kind = ({ 1: 'memory-object', 2: 'vspace', 3: 'cspace', 4: 'endpoint', 5: 'thread', 6: 'notification' } as Record<number, Kind>)[code];
    if (!kind) return fail(E.arg);
    const slotError = this.emptySlot(dest);
    if (slotError) return fail(slotError);
    if (kind === 'memory-object') {
      if (!whole(pages) || pages === 0) return fail(E.arg);
      if (pages > 2 ** 36) return fail(E.range);
    }
    const obj = newObj(kind, kind === 'memory-object' ? pages : 0, cap.obj, kind === 'cspace');
    return { error: E.ok, value: dest, apply: () => this.place(dest, obj, R.all, cap) };
  }

  private memoryObject(cap: MCap, label: number, [first, count, third]: readonly number[]): Prediction {
    const mo = cap.obj;
    if (label === 0x23) return this.setPager(cap, first, count);
    if (label === 0x22) {
      if (!within(R.read, cap.rights)) return fail(E.rights);
      const ut = this.ofKind(first, 'untyped');
      if (typeof ut === 'number') return fail(ut);
      const slotError = this.emptySlot(count);
      if (slotError) return fail(slotError);
      const copy = newObj('memory-object', mo.pages, ut.obj);
      copy.resident = new Set(mo.resident);
      return { error: E.ok, value: count, apply: () => this.place(count, copy, R.all, ut) };
    }
    if (label !== 0x20 && label !== 0x21) return fail(E.label);
    if (!within(R.write, cap.rights)) return fail(E.rights);
    if (!whole(first) || !whole(count) || count === 0) return fail(E.arg);
    if (first + count > mo.pages) return fail(E.range);
    const pages = Array.from({ length: count }, (_, i) => first + i);
    if (label === 0x21) return { error: E.ok, value: count, apply: () => pages.forEach((p) => mo.resident.delete(p)) };
    const ut = this.ofKind(third, 'untyped');
    if (typeof ut === 'number') return fail(ut);
    if (mo.source !== ut.obj) return fail(E.arg);
    return { error: E.ok, value: count, apply: () => pages.forEach((p) => mo.resident.add(p)) };
  }

  private range(va: number, pages: number): number {
    if (!whole(va) || !whole(pages) || pages === 0) return E.arg;
    if (va % PAGE !== 0) return E.align;
    return va + pages * PAGE > this.userTop ? E.range : E.ok;
  }

  private vspace(cap: MCap, label: number, a: readonly number[]): Prediction {
    if (label < 0x30 || label > 0x32) return fail(E.label);
    if (!within(R.map, cap.rights)) return fail(E.rights);
    const vs = cap.obj;
    if (label === 0x30) return this.map(vs, a);
    const [va, pages, bits] = a;
    if (label === 0x32 && (!whole(bits) || bits > 7)) return fail(E.arg);
    const rangeError = this.range(va, pages);
    if (rangeError) return fail(rangeError);
    const end = va + pages * PAGE;
    const hit = vs.regions.filter((r) => r.start < end && r.end > va);
    if (label === 0x31) return { error: E.ok, value: va, apply: () => (vs.regions = cut(vs.regions, va, end, null)) };
    if (hit.some((r) => !within(bits, r.limit))) return fail(E.rights);
    return { error: E.ok, value: va, apply: () => (vs.regions = cut(vs.regions, va, end, bits)) };
  }

  private map(vs: MObj, [moSlot, va, pages, moPage, bits]: readonly number[]): Prediction {
    const mo = this.ofKind(moSlot, 'memory-object');
    if (typeof mo === 'number') return fail(mo);
    if (!whole(bits) || bits > 7) return fail(E.arg);
    const limit = mo.rights & 7;
    if (!within(R.map, mo.rights) || !within(bits, limit)) return fail(E.rights);
    const rangeError = this.range(va, pages);
    if (rangeError) return fail(rangeError);
    if (!whole(moPage) || moPage + pages > mo.obj.pages) return fail(E.range);
    const end = va + pages * PAGE;
    if (vs.regions.some((r) => r.start < end && r.end > va)) return fail(E.overlap);
    const region: MRegion = { start: va, end, mo: mo.obj, moPage, perms: bits, limit };
    return { error: E.ok, value: va, apply: () => (vs.regions = [...vs.regions, region].sort((x, y) => x.start - y.start)) };
  }

  private cspace(cap: MCap, label: number, [src, dest, rights, badge]: readonly number[]): Prediction {
    if (label < 0x40 || label > 0x43) return fail(E.label);
    if (!within(R.write, cap.rights)) return fail(E.rights);
    // Copy, mint, delete and revoke work within the invoked space (another one's slots are those mint-from filled).
    const space = cap.obj.foreign ? cap.obj : null;
    const from = this.slotOf(space, src);
    if (!from) return fail(E.cap);
    if (label === 0x42) return { error: E.ok, value: src, apply: () => this.delete(from) };
    if (label === 0x43) {
      const gone = descendants(from);
      return { error: E.ok, value: gone.length, apply: () => this.revoke(from, gone) };
    }
    const slotError = this.emptyIn(space, dest);
    if (slotError) return fail(slotError);
    let r = from.rights;
    if (label === 0x41) {
      if (!whole(rights) || rights > R.all) return fail(E.arg);
      if (!within(rights, from.rights)) return fail(E.rights);
      if (badError(from, badge)) return fail(E.arg);
      r = rights;
    }
    const b = label === 0x41 ? badge : 0;
    return { error: E.ok, value: dest, apply: () => this.place(dest, from.obj, r, from, space, b) };
  }

  private emptyIn(space: MObj | null, slot: number): number {
    if (!whole(slot) || slot >= SLOTS) return E.range;
    return this.slotOf(space, slot) ? E.occupied : E.ok;
  }

  /** Mint from the own space into the invoked one. */
  private mintFrom(cap: MCap, [src, dest, rights, badge]: readonly number[]): Prediction {
    if (!within(R.write, cap.rights)) return fail(E.rights);
    const from = this.slotOf(null, src);
    if (!from) return fail(E.cap);
    const space = cap.obj.foreign ? cap.obj : null;
    const slotError = this.emptyIn(space, dest);
    if (slotError) return fail(slotError);
    if (!whole(rights) || rights > R.all) return fail(E.arg);
    if (!within(rights, from.rights)) return fail(E.rights);
    if (badError(from, badge)) return fail(E.arg);
    return { error: E.ok, value: dest, apply: () => this.place(dest, from.obj, rights, from, space, badge) };
  }

  /** Signal and poll, and a wait only where the word is not zero (the guest never lets one block). */
  private notification(cap: MCap, label: number): Prediction {
    const n = cap.obj;
    if (label === 0x68) {
      if (!within(R.write, cap.rights)) return fail(E.rights);
      if (cap.badge === 0) return fail(E.illegal);
      return { error: E.ok, value: 0, apply: () => (n.word = orBits(n.word, cap.badge)) };
    }
    if (label !== 0x69 && label !== 0x6a) return fail(E.label);
    if (!within(R.read, cap.rights)) return fail(E.rights);
    if (label === 0x69 && n.word === 0) throw new Error('model: a wait that would block');
    return { error: E.ok, value: n.word, apply: () => (n.word = 0) };
  }

  /** Only the labels that answer at once: a send, call or receive that would block is never asked for. */
  private endpoint(cap: MCap, label: number, a: readonly number[]): Prediction {
    if (label < 0x60 || label > 0x64) return fail(E.label);
    if (label === 0x63) return fail(E.noReply);
    if (label === 0x60 || label === 0x62) {
      if (!within(R.write, cap.rights)) return fail(E.rights);
      const [slot, rights] = [a[4], a[5]];
      if (slot === NO_SLOT) return { error: E.ok };
      const c = this.slotOf(null, slot);
      if (!c) return fail(E.cap);
      if (!within(R.grant, cap.rights)) return fail(E.rights);
      if (!whole(rights) || rights > R.all) return fail(E.arg);
      return within(rights, c.rights) ? { error: E.ok } : fail(E.rights);
    }
    if (!within(R.read, cap.rights)) return fail(E.rights);
    if (label === 0x64) return fail(E.noReply);
    return a[0] === NO_SLOT ? { error: E.ok } : this.emptySlot(a[0]) ? fail(this.emptySlot(a[0])) : { error: E.ok };
  }

  /** Thread control; the guest never resumes one (it would run), nor exits through a thread it made. */
  private thread(cap: MCap, label: number, [x, y]: readonly number[]): Prediction {
    if (label === 0x50) return { error: E.ok };
    if (label < 0x51 || label > 0x54) return fail(E.label);
    if (!within(R.write, cap.rights)) return fail(E.rights);
    const t = cap.obj;
    if (label === 0x51) {
      const cs = this.ofKind(x, 'cspace');
      if (typeof cs === 'number') return fail(cs);
      const vs = this.ofKind(y, 'vspace');
      if (typeof vs === 'number') return fail(vs);
      if (!within(R.write, cs.rights) || !within(R.write, vs.rights)) return fail(E.rights);
      return { error: E.ok, value: 0, apply: () => (t.bound = [cs.obj, vs.obj]) };
    }
    if (label === 0x52) {
      if (!whole(x) || !whole(y)) return fail(E.arg);
      return y % 16 !== 0 ? fail(E.align) : { error: E.ok, value: 0 };
    }
    if (label === 0x53 && (!t.bound || t.bound.some((o) => o.dead))) return fail(E.illegal);
    return { error: E.ok, value: 0 };
  }

  private setPager(cap: MCap, epSlot: number, token: number): Prediction {
    if (!within(R.write, cap.rights)) return fail(E.rights);
    if (epSlot === NO_SLOT) return { error: E.ok, value: 0 };
    const ep = this.ofKind(epSlot, 'endpoint');
    if (typeof ep === 'number') return fail(ep);
    if (!within(R.write, ep.rights)) return fail(E.rights);
    return whole(token) ? { error: E.ok, value: 0 } : fail(E.arg);
  }

  private release(obj: MObj): void {
    if (--obj.refs === 0) this.die(obj);
  }

  /** An object dies; a capability space's own slots are emptied with it (the kernel clears it). */
  private die(obj: MObj): void {
    if (obj.dead) return;
    obj.dead = true;
    for (const c of [...obj.held.values()]) if (c.space === obj && obj.held.get(c.slot) === c) this.delete(c);
  }

  private delete(cap: MCap): void {
    this.setSlot(cap.space, cap.slot, null);
    for (const c of cap.children) {
      c.parent = cap.parent;
      cap.parent?.children.add(c);
    }
    cap.parent?.children.delete(cap);
    this.release(cap.obj);
  }

  private revoke(cap: MCap, gone: MCap[]): void {
    for (const d of gone) this.setSlot(d.space, d.slot, null);
    cap.children.clear();
    for (const d of gone) this.release(d.obj);
    // An untyped's original capability revoked: everything made from the untyped dies.
    if (cap.obj.kind === 'untyped' && cap.parent === null) {
      for (const c of this.slots) if (c && c.obj.source === cap.obj) this.die(c.obj);
    }
  }
}

/** A mint's badge is refused: not whole, or given to something other than an unbadged endpoint or notification capability. */
function badError(from: MCap, badge: number): boolean {
  if (badge === 0) return false;
  if (!whole(badge)) return true;
  return (from.obj.kind !== 'endpoint' && from.obj.kind !== 'notification') || from.badge !== 0;
}

/** a | b on whole numbers below 2^53, written independently of the kernel's helper. */
function orBits(a: number, b: number): number {
  let out = 0;
  for (let bit = 1, x = a, y = b; x > 0 || y > 0; bit *= 2, x = Math.floor(x / 2), y = Math.floor(y / 2)) {
    if (x % 2 === 1 || y % 2 === 1) out += bit;
  }
  return out;
}

function descendants(cap: MCap): MCap[] {
  const out: MCap[] = [];
  const stack = [...cap.children];
  while (stack.length > 0) {
    const c = stack.pop()!;
    out.push(c);
    stack.push(...c.children);
  }
  return out;
}

/** Regions with [start, end) removed (perms null) or given new permissions. */
function cut(regions: readonly MRegion[], start: number, end: number, perms: number | null): MRegion[] {
  const out: MRegion[] = [];
  for (const r of regions) {
    if (r.end <= start || r.start >= end) {
      out.push(r);
      continue;
    }
    if (r.start < start) out.push({ ...r, end: start });
    if (perms !== null) {
      const s = Math.max(r.start, start);
      out.push({ ...r, start: s, end: Math.min(r.end, end), moPage: r.moPage + (s - r.start) / PAGE, perms });
    }
    if (r.end > end) out.push({ ...r, start: end, moPage: r.moPage + (end - r.start) / PAGE });
  }
  return out;
}
