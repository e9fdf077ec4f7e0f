// Random initial state for a case: GPRs, RFLAGS, the FXSAVE image (x87 control,
// status and tag words, stack values, MXCSR, XMM0-15) and the hot data region's
// typed slots, favouring edge values over uniform noise.

import { Rng } from '../risu/random';
import { HOT_SIZE, S_FCW, S_FSW, S_FTW, S_MXCSR, S_RFLAGS, S_ST, S_XMM, STATE_BYTES } from './case-format';
import { randomBcd, randomF32, randomF64, randomF80, randomU64, U64 } from './values';

export const SLOT_BYTES = 16;
export const SLOTS = HOT_SIZE / SLOT_BYTES;
/** What a hot slot holds, so an instruction that needs a kind of operand can find one. */
export const enum Slot { Int, F32, F64, F80, Bcd, Fcw, Mxcsr, Random }

export interface StateOptions {
  /** Chance that some x87 / SSE exceptions are unmasked (a SIGFPE is then possible). */
  unmaskX87: number;
  unmaskSse: number;
}

export class StateBuilder {
  readonly bytes = new Uint8Array(STATE_BYTES);
  readonly hot = new Uint8Array(HOT_SIZE);
  readonly slots: Slot[] = [];
  readonly dv = new DataView(this.bytes.buffer);
  private readonly hv = new DataView(this.hot.buffer);

  getGpr(n: number): U64 {
    return [this.dv.getUint32(8 * n, true), this.dv.getUint32(8 * n + 4, true)];
  }

  setGpr(n: number, v: U64): void {
    this.dv.setUint32(8 * n, v[0] >>> 0, true);
    this.dv.setUint32(8 * n + 4, v[1] >>> 0, true);
  }

  /** A value as the signed number it is when small (base and index registers). */
  setGprNumber(n: number, v: number): void {
    this.setGpr(n, [v >>> 0, v < 0 ? 0xffffffff : Math.floor(v / 2 ** 32)]);
  }

  static random(rng: Rng, opts: StateOptions): StateBuilder {
    const s = new StateBuilder();
    for (let n = 0; n < 16; n++) s.setGpr(n, randomU64(rng));
    s.dv.setUint32(S_RFLAGS, (rng.u32() & 0x8d5) | 2 | (rng.chance(0.2) ? 0x400 : 0), true);
    s.randomX87(rng, opts.unmaskX87);
    s.randomSse(rng, opts.unmaskSse);
    for (let i = 0; i < SLOTS; i++) s.fillSlot(rng, i);
    return s;
  }

  private randomX87(rng: Rng, unmask: number): void {
    const masks = rng.chance(unmask) ? rng.u32() & 0x3f : 0x3f;
    const fcw = 0x40 | masks | (rng.pick([3, 3, 2, 0]) << 8) | (rng.below(4) << 10);
    const flags = rng.chance(0.5) ? rng.u32() & 0x3f & masks : 0;
    const cc = rng.u32() & 0x4700;
    const top = rng.below(8);
    this.dv.setUint16(S_FCW, fcw, true);
    this.dv.setUint16(S_FSW, flags | cc | (top << 11), true);
    // Mostly a stack of some depth, as programs leave it (ST(0)..ST(d-1) in use), so
    // arithmetic meets numbers; otherwise random tags, so stack faults are met too.
    let ftw = 0;
    if (rng.chance(0.7)) {
      const depth = rng.below(7);
      for (let i = 0; i < depth; i++) ftw |= 1 << ((top + i) & 7);
    } else for (let phys = 0; phys < 8; phys++) if (rng.chance(0.6)) ftw |= 1 << phys;
    this.dv.setUint8(S_FTW, ftw);
    for (let i = 0; i < 8; i++) {
      const v = randomF80(rng);
      const p = S_ST + 16 * i;
      this.dv.setUint32(p, v[0] >>> 0, true);
      this.dv.setUint32(p + 4, v[1] >>> 0, true);
      this.dv.setUint16(p + 8, v[2], true);
    }
  }

  private randomSse(rng: Rng, unmask: number): void {
    this.dv.setUint32(S_MXCSR, randomMxcsr(rng, unmask), true);
    for (let x = 0; x < 16; x++) {
      const p = S_XMM + 16 * x;
      const kind = rng.below(4);
      for (let k = 0; k < 4; k++) {
        if (kind === 0) this.dv.setUint32(p + 4 * k, randomF32(rng), true);
        else if (kind === 1 && k % 2 === 0) {
          const [lo, hi] = randomF64(rng);
          this.dv.setUint32(p + 4 * k, lo, true);
          this.dv.setUint32(p + 4 * k + 4, hi, true);
        } else if (kind === 2) this.dv.setUint32(p + 4 * k, randomU64(rng)[rng.below(2)], true);
        else if (kind === 3) this.dv.setUint32(p + 4 * k, rng.u32(), true);
      }
    }
  }

  private fillSlot(rng: Rng, i: number): void {
    const kind = rng.pick([Slot.Int, Slot.Int, Slot.F32, Slot.F64, Slot.F64, Slot.F80, Slot.F80, Slot.Bcd, Slot.Fcw, Slot.Mxcsr, Slot.Random]);
    this.slots.push(kind);
    const p = i * SLOT_BYTES;
    const hv = this.hv;
    switch (kind) {
      case Slot.Int:
        for (let k = 0; k < 2; k++) {
          const [lo, hi] = randomU64(rng);
          hv.setUint32(p + 8 * k, lo, true);
          hv.setUint32(p + 8 * k + 4, hi, true);
        }
        break;
      case Slot.F32:
        for (let k = 0; k < 4; k++) hv.setUint32(p + 4 * k, randomF32(rng), true);
        break;
      case Slot.F64:
        for (let k = 0; k < 2; k++) {
          const [lo, hi] = randomF64(rng);
          hv.setUint32(p + 8 * k, lo, true);
          hv.setUint32(p + 8 * k + 4, hi, true);
        }
        break;
      case Slot.F80: {
        const v = randomF80(rng);
        hv.setUint32(p, v[0] >>> 0, true);
        hv.setUint32(p + 4, v[1] >>> 0, true);
        hv.setUint16(p + 8, v[2], true);
        hv.setUint32(p + 12, rng.u32(), true);
        break;
      }
      case Slot.Bcd:
        this.hot.set(randomBcd(rng), p);
        break;
      case Slot.Fcw:
        // A control word FLDCW may load: some unmasked exceptions now and then.
        // Precision control 01 is reserved: only 00 (24-bit), 10 (53-bit), 11 (64-bit) are drawn.
        hv.setUint16(p, (rng.chance(0.1) ? rng.u32() & 0x3f : 0x3f) | (rng.pick([0, 2, 3, 3]) << 8) | (rng.below(4) << 10) | (rng.u32() & 0xf0c0), true);
        hv.setUint16(p + 2, rng.u32() & 0xffff, true);
        hv.setUint32(p + 4, rng.u32(), true);
        hv.setUint32(p + 8, rng.u32(), true);
        break;
      case Slot.Mxcsr:
        hv.setUint32(p, randomMxcsr(rng, 0.1), true);
        hv.setUint32(p + 4, rng.u32(), true);
        break;
      default:
        for (let k = 0; k < 4; k++) hv.setUint32(p + 4 * k, rng.u32(), true);
    }
  }
}

/** A valid MXCSR: random sticky flags, DAZ, rounding, FTZ; exceptions masked unless drawn otherwise. */
export function randomMxcsr(rng: Rng, unmask: number): number {
  const masks = rng.chance(unmask) ? rng.u32() & 0x1f80 : 0x1f80;
  const flags = rng.chance(0.5) ? rng.u32() & 0x3f : 0;
  const daz = rng.chance(0.25) ? 0x40 : 0;
  const ftz = rng.chance(0.25) ? 0x8000 : 0;
  return (masks | flags | daz | ftz | (rng.below(4) << 13)) >>> 0;
}
