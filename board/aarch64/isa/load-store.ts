// Loads and stores. The group's encodings, joined into the A64 table.

import type { Encoding } from '../decoder';

export const loadStore: Encoding[] = [];
