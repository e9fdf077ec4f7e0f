// AdvSIMD data movement and misc: copy, modified immediate, shifts, permute, EXT, TBL/TBX, two-register misc, crypto. The group's encodings, joined into the A64 table.

import type { Encoding } from '../decoder';
import { simdCopy } from './simd-data/copy';
import { cryptoAes } from './simd-data/crypto-aes';
import { cryptoSha } from './simd-data/crypto-sha';
import { cryptoSha512Sha3 } from './simd-data/crypto-sha512-sha3';
import { modifiedImmediate } from './simd-data/modified-immediate';
import { simdShiftImmediate } from './simd-data/shift-immediate';
import { simdPermute } from './simd-data/permute';
import { simdShiftNarrow } from './simd-data/shift-narrow';
import { simdTwoRegMisc } from './simd-data/two-reg-misc';

export const simdData: Encoding[] = [
  ...simdCopy,
  { name: 'AdvSIMD modified immediate', pattern: '0qp0111100000abc cccc o1 defgh ddddd', handler: modifiedImmediate },
  ...simdShiftImmediate,
  ...simdShiftNarrow,
  ...simdPermute,
  ...simdTwoRegMisc,
  ...cryptoAes,
  ...cryptoSha,
  ...cryptoSha512Sha3,
];
