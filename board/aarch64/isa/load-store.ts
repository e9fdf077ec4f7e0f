// Loads and stores (Arm ARM C4.1.88). The group's encodings, joined into the
// A64 table; each class lives in ./load-store/.

import type { Encoding } from '../decoder';
import { atomicClass } from './load-store/atomics';
import { exclusiveClass } from './load-store/exclusive';
import { orderedUnscaled } from './load-store/ordered-unscaled';
import { pairs } from './load-store/pairs';
import { simdStructures } from './load-store/simd-structures';
import { singleRegister } from './load-store/single-register';

export const loadStore: Encoding[] = [
  ...singleRegister,
  ...pairs,
  { name: 'Load/store exclusive, ordered, CAS', pattern: 'ss 001000 o L o sssss o uuuuu nnnnn ttttt', handler: exclusiveClass },
  { name: 'LDAPUR/STLUR (RCpc unscaled)', pattern: 'ss 011001 oo 0 iiiiiiiii 00 nnnnn ttttt', handler: orderedUnscaled },
  { name: 'Atomic memory operations', pattern: 'ss 111 0 00 A R 1 sssss o ooo 00 nnnnn ttttt', handler: atomicClass },
  ...simdStructures,
];
