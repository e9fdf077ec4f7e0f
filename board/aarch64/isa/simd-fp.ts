// AdvSIMD floating point: three same, two-register misc, by element, across
// lanes, scalar pairwise, FCVTN/FCVTL/FCVTXN, fixed-point conversions,
// FCADD/FCMLA and FMLAL/FMLSL. The group's encodings, joined into the A64
// table; the forms live in ./simd-fp/.

import type { Encoding } from '../decoder';
import { byElementFp } from './simd-fp/by-element';
import { complexFp } from './simd-fp/complex';
import { fixedPointFp } from './simd-fp/fixed-point';
import { narrowWidenFp } from './simd-fp/narrow-widen';
import { reductionsFp } from './simd-fp/reductions';
import { threeSameFp } from './simd-fp/three-same';
import { twoRegMiscFp } from './simd-fp/two-reg-misc';
import { wideningFma } from './simd-fp/widening-fma';

export const simdFp: Encoding[] = [...threeSameFp, ...twoRegMiscFp, ...narrowWidenFp, ...byElementFp, ...reductionsFp, ...fixedPointFp, ...complexFp, ...wideningFma];
