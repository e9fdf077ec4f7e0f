// Data processing -- register. The group's encodings, joined into the A64 table.

import type { Encoding } from '../decoder';

export const dpRegister: Encoding[] = [];
