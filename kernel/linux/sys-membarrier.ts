// membarrier(cmd, flags, cpu_id). Salty runs one CPU and every thread's
// memory accesses complete in program order before another thread runs, so
// each barrier is already there when the call returns; what remains is
// Linux's interface: the commands it offers (without rseq, which salty does
// not have), their argument checks, and the per-address-space registrations
// the private expedited commands require (EPERM without them).

import type { AddressSpace } from '../process/address-space';
import { EINVAL, EPERM } from './errno';
import type { Syscall } from './syscall-context';

const QUERY = 0;
const GLOBAL = 1;
const GLOBAL_EXPEDITED = 2;
const REGISTER_GLOBAL_EXPEDITED = 4;
const PRIVATE_EXPEDITED = 8;
const REGISTER_PRIVATE_EXPEDITED = 16;
const PRIVATE_EXPEDITED_SYNC_CORE = 32;
const REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64;
const SUPPORTED = GLOBAL | GLOBAL_EXPEDITED | REGISTER_GLOBAL_EXPEDITED | PRIVATE_EXPEDITED | REGISTER_PRIVATE_EXPEDITED | PRIVATE_EXPEDITED_SYNC_CORE | REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;

/** The registrations of an address space (exec and fork start without any). */
const registered = new WeakMap<AddressSpace, number>();

const membarrier: Syscall = (c) => {
  const [cmd, flags] = [c.int(0), c.u32(1)];
  if (flags !== 0) return -EINVAL;
  const regs = registered.get(c.mem) ?? 0;
  switch (cmd) {
    case QUERY:
      return SUPPORTED;
    case GLOBAL:
    case GLOBAL_EXPEDITED:
      return 0;
    case REGISTER_GLOBAL_EXPEDITED:
    case REGISTER_PRIVATE_EXPEDITED:
    case REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
      registered.set(c.mem, regs | cmd);
      return 0;
    case PRIVATE_EXPEDITED:
      return regs & REGISTER_PRIVATE_EXPEDITED ? 0 : -EPERM;
    case PRIVATE_EXPEDITED_SYNC_CORE:
      return regs & REGISTER_PRIVATE_EXPEDITED_SYNC_CORE ? 0 : -EPERM;
    default:
      return -EINVAL;
  }
};

// Rows of syscall-table.ts name these handlers.
export { membarrier };
