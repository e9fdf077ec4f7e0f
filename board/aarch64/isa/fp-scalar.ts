// Scalar floating point (Arm ARM C4.1.96, the scalar FP encodings). The
// group's encodings, joined into the A64 table; each family lives in ./fp-scalar/.

import type { Encoding } from '../decoder';
import { fpArith } from './fp-scalar/arith';
import { fpCompareSelect } from './fp-scalar/compare-select';
import { fpIntConvert } from './fp-scalar/int-convert';
import { fpOneSource } from './fp-scalar/one-source';

export const fpScalar: Encoding[] = [...fpArith, ...fpOneSource, ...fpCompareSelect, ...fpIntConvert];
