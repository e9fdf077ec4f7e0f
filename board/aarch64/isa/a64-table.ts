// The whole A64 decode table: every encoding group's lines in one table.

import { DecodeTable, Encoding } from '../decoder';
import { branches } from './branches';
import { dpImmediate } from './dp-immediate';
import { dpRegister } from './dp-register';
import { fpScalar } from './fp-scalar';
import { loadStore } from './load-store';
import { simdArith } from './simd-arith';
import { simdData } from './simd-data';
import { simdExt } from './simd-ext';
import { simdFp } from './simd-fp';
import { system } from './system';

export const a64Encodings: readonly Encoding[] = [
  ...dpImmediate,
  ...branches,
  ...system,
  ...dpRegister,
  ...loadStore,
  ...fpScalar,
  ...simdArith,
  ...simdData,
  ...simdFp,
  ...simdExt,
];

let shared: DecodeTable | undefined;

/** Built once per process: the table is immutable. */
export function a64Table(): DecodeTable {
  shared ??= new DecodeTable(a64Encodings);
  return shared;
}
