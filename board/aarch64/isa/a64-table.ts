// The whole A64 decode table: every encoding group's lines in one table.

import { DecodeTable, Encoding } from '../decoder';
import { branches } from './branches';
import { dpImmediate } from './dp-immediate';
import { system } from './system';

export const a64Encodings: readonly Encoding[] = [...dpImmediate, ...branches, ...system];

let shared: DecodeTable | undefined;

/** Built once per process: the table is immutable. */
export function a64Table(): DecodeTable {
  shared ??= new DecodeTable(a64Encodings);
  return shared;
}
