// Where a generated access lands: a random address inside the data page, and
// the base (and index) register values that make an encoding reach it.

import { DATA_BASE } from './case-format';
import { Rng } from './random';

const DATA_BYTES = 4096;
/** Room left at both ends so multi-register and pair accesses stay inside the page. */
const MARGIN = 128;

/** An address in the data page; aligned to `align` unless the draw asks for a misaligned one. */
export function pickTarget(rng: Rng, align: number, misalignedChance = 0.2): bigint {
  let off = MARGIN + rng.below(DATA_BYTES - 2 * MARGIN);
  if (!rng.chance(misalignedChance)) off -= off % align;
  return BigInt(DATA_BASE + off);
}

/** An index register value and the offset it contributes, for the register-offset forms. */
export function indexValue(rng: Rng, option: number, shift: number): { xm: bigint; offset: bigint } {
  const junkHigh = BigInt(rng.u32()) << 32n;
  if (option === 0b010) {
    const k = BigInt(rng.below(256));
    return { xm: junkHigh | k, offset: k << BigInt(shift) };
  }
  if (option === 0b110) {
    const k = BigInt(rng.below(512) - 256);
    return { xm: junkHigh | BigInt.asUintN(32, k), offset: k << BigInt(shift) };
  }
  const k = BigInt(rng.below(512) - 256);
  return { xm: BigInt.asUintN(64, k), offset: k << BigInt(shift) };
}
