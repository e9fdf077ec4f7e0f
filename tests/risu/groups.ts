// Every RISU group, in report order.

import { scalarFp, simdAcrossLanes, simdByElement, simdCopy, simdModifiedImmediate, simdPermute, simdShiftImmediate,
  simdThreeDifferent, simdThreeSame, simdTwoRegMisc, crypto } from './groups-fp-simd';
import { dpImmediate, dpRegister } from './groups-integer';
import { exclusives, loadStore, lseAtomics } from './groups-memory';
import { RisuGroup } from './risu-group';
import { simdExt } from './groups-simd-ext';

export const GROUPS: readonly RisuGroup[] = [
  dpImmediate, dpRegister, loadStore, scalarFp, simdThreeSame, simdThreeDifferent, simdTwoRegMisc, simdAcrossLanes,
  simdCopy, simdModifiedImmediate, simdShiftImmediate, simdByElement, simdPermute, crypto, lseAtomics, exclusives, simdExt,
];
