// The six arch-neutral page attributes as the bits of a number, so a test can
// map one page for each of the 64 combinations.

import type { PageAttrs } from '../../kernel/arch/arch';

/** The attributes whose flags are the bits of n: read 1, write 2, exec 4, user 8, global 16, device 32. */
export function pageAttrsOfBits(n: number): PageAttrs {
  return {
    read: (n & 1) !== 0,
    write: (n & 2) !== 0,
    exec: (n & 4) !== 0,
    user: (n & 8) !== 0,
    global: (n & 16) !== 0,
    device: (n & 32) !== 0,
  };
}

