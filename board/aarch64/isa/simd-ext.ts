// Later AdvSIMD extensions qemu-aarch64's max CPU runs: dot product
// (FEAT_DotProd), int8 matrix multiply (FEAT_I8MM), BFloat16 (FEAT_BF16) and
// the SM3/SM4 crypto extensions.
// The group's encodings, joined into the A64 table; the forms live in ./simd-ext/.

import type { Encoding } from '../decoder';
import { bfloat16 } from './simd-ext/bfloat16';
import { dotProduct } from './simd-ext/dot-product';
import { matrixMultiply } from './simd-ext/matrix-multiply';
import { sm3 } from './simd-ext/sm3';
import { sm4Encodings } from './simd-ext/sm4';

export const simdExt: Encoding[] = [...dotProduct, ...matrixMultiply, ...bfloat16, ...sm3, ...sm4Encodings];
