// Random initial state for a case: registers, flags, FPCR/FPSR and vector
// values that favour the edge cases (zeros, NaNs, infinities, denormals,
// extreme integers) over uniform noise.

import { newState, S_FPCR, S_FPSR, S_NZCV, S_SP, S_V } from './case-format';
import { Rng } from './random';

const INT_SPECIALS = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn,
  0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen];
const F32_SPECIALS = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00001,
  0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x4b000000, 0x4f000000, 0xcf000000, 0x3f000000, 0x5f000000];
const F64_HI_SPECIALS = [0, 0x80000000, 0x3ff00000, 0xbff00000, 0x7ff00000, 0xfff00000, 0x7ff80000, 0x7ff00000, 0x000fffff,
  0x00100000, 0x7fefffff, 0x43300000, 0x41e00000, 0xc1e00000, 0x43e00000, 0x3fe00000];
/** FPCR bits QEMU keeps for AArch64: AHP, DN, FZ, RMode, FZ16. */
const FPCR_BITS = 0x07c80000;
/** FPSR cumulative flags: IOC..IXC, IDC, QC. */
const FPSR_BITS = 0x0800009f;

export class StateBuilder {
  readonly bytes = newState();
  private readonly dv = new DataView(this.bytes.buffer);

  /** Register n (31 = SP) as an unsigned 64-bit value. */
  getX(n: number): bigint {
    return this.dv.getBigUint64(8 * n, true);
  }

  setX(n: number, v: bigint): void {
    this.dv.setBigUint64(8 * n, BigInt.asUintN(64, v), true);
  }

  static random(rng: Rng, fp: boolean): StateBuilder {
    const s = new StateBuilder();
    for (let n = 0; n < 32; n++) s.setX(n, randomInt(rng));
    s.dv.setUint32(S_NZCV, (rng.u32() & 0xf0000000) >>> 0, true);
    s.dv.setUint32(S_FPCR, fp ? rng.u32() & FPCR_BITS : 0, true);
    s.dv.setUint32(S_FPSR, rng.chance(0.5) ? rng.u32() & FPSR_BITS : 0, true);
    for (let i = 0; i < 128; i++) s.dv.setUint32(S_V + 4 * i, rng.u32(), true);
    if (fp) for (let r = 0; r < 32; r++) s.fillVectorWithSpecials(rng, r);
    return s;
  }

  private fillVectorWithSpecials(rng: Rng, r: number): void {
    const base = S_V + 16 * r;
    const kind = rng.below(3);
    for (let lane = 0; lane < 4; lane++) {
      if (!rng.chance(0.4)) continue;
      const p = base + 4 * lane;
      if (kind === 0) this.dv.setUint32(p, rng.pick(F32_SPECIALS) >>> 0, true);
      else if (kind === 1 && lane % 2 === 1) this.dv.setUint32(p, rng.pick(F64_HI_SPECIALS) >>> 0, true);
      else if (kind === 2) this.dv.setUint16(p + 2 * rng.below(2), rng.pick([0, 0x8000, 0x3c00, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0x0001, 0x03ff, 0x7bff]), true);
    }
  }
}

function randomInt(rng: Rng): bigint {
  const r = rng.below(8);
  if (r === 0) return rng.pick(INT_SPECIALS);
  if (r === 1) return BigInt(rng.below(256));
  if (r === 2) return BigInt(rng.u32());
  return (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
}
