// Data processing -- register (Arm ARM C4.1.95). The group's encodings,
// joined into the A64 table; each family lives in ./dp-register/.

import type { Encoding } from '../decoder';
import { addSub } from './dp-register/add-sub';
import { conditional } from './dp-register/conditional';
import { flagManipulation } from './dp-register/flag-manipulation';
import { logical } from './dp-register/logical';
import { multiply } from './dp-register/multiply';
import { oneSourceEncodings } from './dp-register/one-source';
import { tagAndPointer } from './dp-register/tag-and-pointer';
import { twoSourceEncodings } from './dp-register/two-source';

export const dpRegister: Encoding[] = [
  ...addSub,
  ...logical,
  ...conditional,
  ...multiply,
  ...twoSourceEncodings,
  ...oneSourceEncodings,
  ...flagManipulation,
  ...tagAndPointer,
];
