// AdvSIMD data movement and misc: copy, modified immediate, shifts, permute, EXT, TBL/TBX, two-register misc, crypto. The group's encodings, joined into the A64 table.

import type { Encoding } from '../decoder';

export const simdData: Encoding[] = [];
