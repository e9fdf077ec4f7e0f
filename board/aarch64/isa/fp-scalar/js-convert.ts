// FJCVTZS: double to int32 with JavaScript's ToInt32 semantics (round toward
// zero, modulo 2^32); Z is set when the conversion was exact and in range.

import { Op } from '../../decoder';
import { f64Value, isNaN64 } from '../../fp/binary64';
import { FpEnv, FPCR_FZ, IDC, IOC, IXC } from '../../fp/fpcr';

interface JsEnv extends FpEnv {
  readonly f: Int32Array;
}

export function fjcvtzs(cpu: JsEnv, vw: Int32Array, x: Int32Array, n: number, dst: number): Op {
  const f = cpu.f;
  return () => {
    const lo = vw[n];
    const hi = vw[n + 1];
    let v = f64Value(lo, hi);
    let exact = true;
    if (isNaN64(lo, hi) || v === Infinity || v === -Infinity) {
      cpu.fpsr |= IOC;
      v = 0;
      exact = false;
    } else if ((hi & 0x7ff00000) === 0 && (lo | (hi & 0xfffff)) !== 0 && (cpu.fpcr & FPCR_FZ) !== 0) {
      cpu.fpsr |= IDC;
      v = 0;
    } else {
      const t = Math.trunc(v);
      if (t < -2147483648 || t > 2147483647) {
        cpu.fpsr |= IOC;
        exact = false;
      } else if (t !== v) {
        cpu.fpsr |= IXC;
        exact = false;
      } else if (v === 0 && hi < 0) {
        exact = false; // -0.0 has no int32 equivalent: Z clear, no exception
      }
    }
    x[dst] = v | 0;
    x[dst + 1] = 0;
    f[0] = 0;
    f[1] = exact ? 1 : 0;
    f[2] = 0;
    f[3] = 0;
  };
}
