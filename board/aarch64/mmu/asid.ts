// The ASID that tags non-global translations of the EL1&0 regime.

import type { Stage1Regs } from './types';

/** TCR_EL1.A1 chooses TTBR1's ASID over TTBR0's; TCR_EL1.AS = 0 keeps only its low 8 bits. */
export function currentAsid(regs: Stage1Regs): number {
  const a1 = (regs.tcrLo >>> 22) & 1;
  const asid = (a1 ? regs.ttbr1Hi : regs.ttbr0Hi) >>> 16;
  const wide = (regs.tcrHi >>> 4) & 1;
  return wide ? asid : asid & 0xff;
}
