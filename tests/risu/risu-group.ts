// What a RISU encoding group is: its patterns and how its blocks are shaped.

import { FixContext, InsnPattern } from './encoding-pattern';

export interface RisuGroup {
  name: string;
  patterns: InsnPattern[];
  /** Instructions per block (memory groups use 1: each access gets its own base register setup). */
  blockLength: number;
  cases: number;
  /** Fill vector registers with floating-point edge values and randomise FPCR. */
  fp: boolean;
  /** Builds a whole block instead of drawing blockLength independent patterns. */
  block?: (ctx: FixContext) => number[] | null;
}
