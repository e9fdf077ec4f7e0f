// AdvSIMD arithmetic: three-same, three-different, by-element, across-lanes, scalar integer. The group's encodings, joined into the A64 table.
// The integer forms live in ./simd-arith/; the floating-point forms join this list as their own files.

import type { Encoding } from '../decoder';
import { acrossLanes } from './simd-arith/across-lanes';
import { byElement } from './simd-arith/by-element';
import { roundingDoubling } from './simd-arith/rounding-doubling';
import { threeDifferent } from './simd-arith/three-different';
import { threeSame } from './simd-arith/three-same';

export const simdArith: Encoding[] = [...threeSame, ...threeDifferent, ...byElement, ...acrossLanes, ...roundingDoubling];
