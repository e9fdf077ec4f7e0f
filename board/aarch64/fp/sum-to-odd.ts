// a + b rounded to odd at double precision: a later rounding to any format
// at least two bits narrower (half, single, BFloat16) is then the correct
// single rounding of the exact sum.

const F64 = new Float64Array(1);
const I64 = new Int32Array(F64.buffer);

/**
 * The exact a + p rounded to odd at double precision (a and p doubles).
 * lastSumInexact() tells whether a + p was not a double.
 */
export function sumToOdd(a: number, p: number): number {
  const s = a + p;
  const bb = s - a;
  const err = a - (s - bb) + (p - bb);
  if (err === 0 || s - s !== 0) {
    // exact, or an infinity or NaN that later roundings keep
    oddInexact = false;
    return s;
  }
  oddInexact = true;
  F64[0] = s;
  if ((I64[0] & 1) === 0) {
    // away from zero when the error has the sum's sign, else towards zero
    if (err > 0 === s > 0) I64[0]++;
    else if (I64[0] === 0) {
      I64[0] = -1;
      I64[1]--;
    } else I64[0]--;
  }
  return F64[0];
}

let oddInexact = false;

/** Whether the last sumToOdd was inexact. */
export function lastSumInexact(): boolean {
  return oddInexact;
}
