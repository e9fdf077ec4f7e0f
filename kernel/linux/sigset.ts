// Signal sets (64 signals) as two 32-bit halves: bit (n - 1) is signal n.

export class SigSet {
  constructor(
    public lo = 0,
    public hi = 0,
  ) {}

  static fromBytes(b: Uint8Array): SigSet {
    const v = new DataView(b.buffer, b.byteOffset, 8);
    return new SigSet(v.getUint32(0, true), v.getUint32(4, true));
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.lo >>> 0, true);
    v.setUint32(4, this.hi >>> 0, true);
    return out;
  }

  has(sig: number): boolean {
    const b = sig - 1;
    return b < 32 ? ((this.lo >>> b) & 1) === 1 : ((this.hi >>> (b - 32)) & 1) === 1;
  }

  add(sig: number): void {
    const b = sig - 1;
    if (b < 32) this.lo = (this.lo | (1 << b)) >>> 0;
    else this.hi = (this.hi | (1 << (b - 32))) >>> 0;
  }

  delete(sig: number): void {
    const b = sig - 1;
    if (b < 32) this.lo = (this.lo & ~(1 << b)) >>> 0;
    else this.hi = (this.hi & ~(1 << (b - 32))) >>> 0;
  }

  union(o: SigSet): SigSet {
    return new SigSet((this.lo | o.lo) >>> 0, (this.hi | o.hi) >>> 0);
  }

  minus(o: SigSet): SigSet {
    return new SigSet((this.lo & ~o.lo) >>> 0, (this.hi & ~o.hi) >>> 0);
  }

  copy(): SigSet {
    return new SigSet(this.lo, this.hi);
  }

  /** SIGKILL and SIGSTOP can never be blocked. */
  blockable(): SigSet {
    const s = this.copy();
    s.delete(9);
    s.delete(19);
    return s;
  }
}
