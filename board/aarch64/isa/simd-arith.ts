// AdvSIMD arithmetic: three-same, three-different, by-element, across-lanes, scalar integer. The group's encodings, joined into the A64 table.

import type { Encoding } from '../decoder';

export const simdArith: Encoding[] = [];
