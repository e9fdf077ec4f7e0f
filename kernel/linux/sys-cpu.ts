// getcpu: the machine has one CPU, number 0, on NUMA node 0.

import type { Syscall } from './syscall-context';

/** getcpu(unsigned *cpu, unsigned *node, struct getcpu_cache *): each non-NULL pointer gets 0; the cache is unused since Linux 2.6.24. */
export const getcpu: Syscall = (c) => {
  const zero = new Uint8Array(4);
  if (c.a[0] !== 0) c.user.write(c.a[0], zero);
  if (c.a[1] !== 0) c.user.write(c.a[1], zero);
  return 0;
};
