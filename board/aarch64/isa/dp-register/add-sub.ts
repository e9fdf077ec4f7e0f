// Add/subtract (shifted register, extended register) and add/subtract with
// carry (Arm ARM C4.1.95): ADD, ADDS, SUB, SUBS, ADC, ADCS, SBC, SBCS.

import { zrDst, zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler } from '../../decoder';
import { add64, addFlags32, addFlags64, lsl64, R } from '../../int64';
import { compare32, compare64 } from './compare';
import { EXTEND32, EXTEND64, SHIFT32, SHIFT64 } from './operands';

const TWO32 = 4294967296;

/** x[d..d+1] = a + b (64-bit). */
function add64To(x: Int32Array, d: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const lo = (alo >>> 0) + (blo >>> 0);
  x[d + 1] = (ahi + bhi + (lo >= TWO32 ? 1 : 0)) | 0;
  x[d] = lo | 0;
}

/** x[d..d+1] = a - b (64-bit). */
function sub64To(x: Int32Array, d: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const lo = (alo >>> 0) - (blo >>> 0);
  x[d + 1] = (ahi - bhi - (lo < 0 ? 1 : 0)) | 0;
  x[d] = lo | 0;
}

const addSubShifted: Handler = (insn, ctx) => {
  const type = bits(insn, 23, 22);
  const amount = bits(insn, 15, 10);
  const sf = bit(insn, 31);
  if (type === 3 || (sf === 0 && amount >= 32)) return null;
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const sub = bit(insn, 30) === 1;
  const setFlags = bit(insn, 29) === 1;
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const rd = bits(insn, 4, 0);
  const d = 2 * zrDst(rd);
  if (sf === 0) {
    const sh = SHIFT32[type];
    if (!setFlags) {
      if (amount === 0) return sub ? () => { x[d] = x[n] - x[m]; x[d + 1] = 0; } : () => { x[d] = x[n] + x[m]; x[d + 1] = 0; };
      return sub
        ? () => { x[d] = x[n] - sh(x[m], amount); x[d + 1] = 0; }
        : () => { x[d] = x[n] + sh(x[m], amount); x[d + 1] = 0; };
    }
    if (sub && rd === 31 && amount === 0) return () => compare32(f, x[n], x[m]); // CMP
    if (amount === 0) {
      return sub
        ? () => {
            const a = x[n];
            const b = x[m];
            compare32(f, a, b);
            x[d] = a - b;
            x[d + 1] = 0;
          }
        : () => { x[d] = addFlags32(f, x[n], x[m], 0); x[d + 1] = 0; };
    }
    const cin = sub ? 1 : 0;
    return sub
      ? () => { x[d] = addFlags32(f, x[n], ~sh(x[m], amount), cin); x[d + 1] = 0; }
      : () => { x[d] = addFlags32(f, x[n], sh(x[m], amount), cin); x[d + 1] = 0; };
  }
  const sh = SHIFT64[type];
  if (!setFlags) {
    if (amount === 0) {
      return sub ? () => sub64To(x, d, x[n], x[n + 1], x[m], x[m + 1]) : () => add64To(x, d, x[n], x[n + 1], x[m], x[m + 1]);
    }
    if (type === 0 && amount < 32) {
      // LSL by a small amount (address arithmetic): the shifted halves computed in place.
      const back = 32 - amount;
      return sub
        ? () => {
            const mlo = x[m];
            sub64To(x, d, x[n], x[n + 1], mlo << amount, (x[m + 1] << amount) | (mlo >>> back));
          }
        : () => {
            const mlo = x[m];
            add64To(x, d, x[n], x[n + 1], mlo << amount, (x[m + 1] << amount) | (mlo >>> back));
          };
    }
    return sub
      ? () => { sh(x[m], x[m + 1], amount); sub64To(x, d, x[n], x[n + 1], R[0], R[1]); }
      : () => { sh(x[m], x[m + 1], amount); add64To(x, d, x[n], x[n + 1], R[0], R[1]); };
  }
  if (sub && rd === 31 && amount === 0) {
    return () => { // CMP, the loop-closing compare: flags written here rather than through a helper
      const al = x[n] >>> 0;
      const bl = x[m] >>> 0;
      const ahi = x[n + 1];
      const bhi = x[m + 1];
      const rhi = (ahi - bhi - (al < bl ? 1 : 0)) | 0;
      f[0] = rhi >>> 31;
      f[1] = al === bl && rhi === 0 ? 1 : 0;
      f[2] = ahi >>> 0 > bhi >>> 0 || (ahi === bhi && al >= bl) ? 1 : 0;
      f[3] = ((ahi ^ bhi) & (ahi ^ rhi)) >>> 31;
    };
  }
  if (sub && amount === 0) {
    return () => {
      compare64(f, x[n], x[n + 1], x[m], x[m + 1]);
      x[d] = R[0];
      x[d + 1] = R[1];
    };
  }
  if (sub) {
    return () => {
      sh(x[m], x[m + 1], amount);
      addFlags64(f, x[n], x[n + 1], ~R[0], ~R[1], 1);
      x[d] = R[0];
      x[d + 1] = R[1];
    };
  }
  return () => {
    sh(x[m], x[m + 1], amount);
    addFlags64(f, x[n], x[n + 1], R[0], R[1], 0);
    x[d] = R[0];
    x[d + 1] = R[1];
  };
};

const addSubExtended: Handler = (insn, ctx) => {
  const amount = bits(insn, 12, 10);
  if (bits(insn, 23, 22) !== 0 || amount > 4) return null;
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const sf = bit(insn, 31);
  const sub = bit(insn, 30) === 1;
  const setFlags = bit(insn, 29) === 1;
  const option = bits(insn, 15, 13);
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * bits(insn, 9, 5); // Rn is SP when 31
  const rd = bits(insn, 4, 0);
  const d = 2 * (setFlags ? zrDst(rd) : rd); // ADD/SUB write SP, ADDS/SUBS write ZR
  const cin = sub ? 1 : 0;
  if (sf === 0) {
    const ext = EXTEND32[option];
    if (!setFlags) {
      return sub
        ? () => { x[d] = x[n] - (ext(x[m]) << amount); x[d + 1] = 0; }
        : () => { x[d] = x[n] + (ext(x[m]) << amount); x[d + 1] = 0; };
    }
    return sub
      ? () => { x[d] = addFlags32(f, x[n], ~(ext(x[m]) << amount), cin); x[d + 1] = 0; }
      : () => { x[d] = addFlags32(f, x[n], ext(x[m]) << amount, cin); x[d + 1] = 0; };
  }
  const ext = EXTEND64[option];
  if (!setFlags) {
    return sub
      ? () => { ext(x[m], x[m + 1]); lsl64(R[0], R[1], amount); sub64To(x, d, x[n], x[n + 1], R[0], R[1]); }
      : () => { ext(x[m], x[m + 1]); lsl64(R[0], R[1], amount); add64To(x, d, x[n], x[n + 1], R[0], R[1]); };
  }
  return sub
    ? () => {
        ext(x[m], x[m + 1]);
        lsl64(R[0], R[1], amount);
        addFlags64(f, x[n], x[n + 1], ~R[0], ~R[1], 1);
        x[d] = R[0];
        x[d + 1] = R[1];
      }
    : () => {
        ext(x[m], x[m + 1]);
        lsl64(R[0], R[1], amount);
        addFlags64(f, x[n], x[n + 1], R[0], R[1], 0);
        x[d] = R[0];
        x[d + 1] = R[1];
      };
};

const addSubCarry: Handler = (insn, ctx) => {
  const x = ctx.cpu.x;
  const f = ctx.cpu.f;
  const sf = bit(insn, 31);
  const sub = bit(insn, 30) === 1;
  const setFlags = bit(insn, 29) === 1;
  const m = 2 * zrSrc(bits(insn, 20, 16));
  const n = 2 * zrSrc(bits(insn, 9, 5));
  const d = 2 * zrDst(bits(insn, 4, 0));
  const inv = sub ? -1 : 0; // SBC adds NOT(Rm)
  if (sf === 0) {
    return setFlags
      ? () => { x[d] = addFlags32(f, x[n], x[m] ^ inv, f[2]); x[d + 1] = 0; }
      : () => { x[d] = (x[n] >>> 0) + ((x[m] ^ inv) >>> 0) + f[2]; x[d + 1] = 0; };
  }
  return setFlags
    ? () => {
        addFlags64(f, x[n], x[n + 1], x[m] ^ inv, x[m + 1] ^ inv, f[2]);
        x[d] = R[0];
        x[d + 1] = R[1];
      }
    : () => {
        add64(x[n], x[n + 1], x[m] ^ inv, x[m + 1] ^ inv, f[2]);
        x[d] = R[0];
        x[d + 1] = R[1];
      };
};

export const addSub: Encoding[] = [
  { name: 'ADD/ADDS/SUB/SUBS (shifted register)', pattern: 'x x x 01011 xx 0 xxxxx xxxxxx xxxxx xxxxx', handler: addSubShifted },
  { name: 'ADD/ADDS/SUB/SUBS (extended register)', pattern: 'x x x 01011 xx 1 xxxxx xxx xxx xxxxx xxxxx', handler: addSubExtended },
  { name: 'ADC/ADCS/SBC/SBCS', pattern: 'x x x 11010000 xxxxx 000000 xxxxx xxxxx', handler: addSubCarry },
];
