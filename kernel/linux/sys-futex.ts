// futex: wait, wake, requeue, cmp_requeue, wake_op and the bitset variants.

import { PAGE_SIZE } from '../arch/arch';
import { BLOCKED } from '../sched/thread';
import type { FutexSpace } from './futex';
import { EAGAIN, EINVAL, ENOSYS, ETIMEDOUT } from './errno';
import { kernelDeadline } from './sys-time';
import type { Call, Syscall } from './syscall-context';

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;
const ALL = 0xffffffff;
const KNOWN_OPS = [FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET];

/**
 * Where a futex word lives: its object and offset when the mapping is shared
 * (and the op not private). A shared key needs the page (Linux pins it): an
 * address that cannot be read faults, which the syscall answers EFAULT.
 */
function keyFor(c: Call, addr: number, opWord: number): { space: FutexSpace; addr: number } {
  if ((opWord & FUTEX_PRIVATE_FLAG) === 0) {
    c.user.read(addr - (addr % 4), 4);
    const r = c.mem.vs.findRegion(addr);
    if (r && c.mem.shared.has(r.mo)) return { space: `mo${r.mo.id}`, addr: r.moPage * PAGE_SIZE + (addr - r.start) };
  }
  return { space: c.mem.vs.id, addr };
}

function load32(c: Call, addr: number): number {
  return new DataView(c.user.read(addr, 4).buffer).getUint32(0, true);
}

function wait(c: Call, addr: number, opWord: number, val: number, deadline: number | undefined, bitset: number): number | typeof BLOCKED {
  if (addr % 4 !== 0) return -EINVAL;
  if (load32(c, addr) !== val >>> 0) return -EAGAIN;
  const k = keyFor(c, addr, opWord);
  const w = c.sys.futexes.enqueue(k.space, k.addr, bitset);
  const retry = (): number | typeof BLOCKED => {
    if (w.woken) return 0;
    if (deadline !== undefined && c.sys.now() >= deadline) {
      c.sys.futexes.cancel(w);
      return -ETIMEDOUT;
    }
    return BLOCKED;
  };
  const r = c.block(retry, { deadline, cancel: () => c.sys.futexes.cancel(w) });
  return r as number | typeof BLOCKED;
}

/** FUTEX_WAKE_OP: *addr2 = op(*addr2, oparg); wake on addr; if cmp(old, cmparg) also wake on addr2. */
function wakeOp(c: Call, opWord: number, addr: number, n: number, addr2: number, n2: number, encoded: number): number {
  const op = (encoded >>> 28) & 15;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  const cmparg = (encoded << 20) >> 20;
  if ((op & 8) !== 0) oparg = 1 << (oparg & 31);
  const old = load32(c, addr2) | 0;
  const next = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][op & 7];
  if (next === undefined) return -ENOSYS;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, next | 0, true);
  c.user.write(addr2, b);
  const k = keyFor(c, addr, opWord);
  const k2 = keyFor(c, addr2, opWord);
  let woken = c.sys.futexes.wake(k.space, k.addr, n, ALL);
  const hit = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg][cmp];
  if (hit) woken += c.sys.futexes.wake(k2.space, k2.addr, n2, ALL);
  return woken;
}

function requeue(c: Call, k: { space: FutexSpace; addr: number }, opWord: number, n: number, addr2: number, m: number): number {
  const k2 = keyFor(c, addr2, opWord);
  return c.sys.futexes.requeue(k.space, k.addr, n, k2.addr, m, k2.space);
}

const futex: Syscall = (c) => {
  const [addr, opWord, val, timeoutOrVal2, addr2, val3] = c.a;
  const op = opWord & 127;
  const realtime = (opWord & FUTEX_CLOCK_REALTIME) !== 0;
  if (!KNOWN_OPS.includes(op)) return -ENOSYS;
  if (addr % 4 !== 0) return -EINVAL;
  const k = keyFor(c, addr, opWord);
  const val2 = timeoutOrVal2 % 4294967296 >>> 0;
  switch (op) {
    case FUTEX_WAIT: {
      const ms = c.timespecMs(timeoutOrVal2);
      return wait(c, addr, opWord, val, ms === null ? undefined : c.sys.now() + ms, ALL);
    }
    case FUTEX_WAIT_BITSET: {
      const ms = c.timespecMs(timeoutOrVal2);
      const bits = val3 % 4294967296 >>> 0;
      if (bits === 0) return -EINVAL;
      const clock = realtime ? 0 : 1;
      return wait(c, addr, opWord, val, ms === null ? undefined : kernelDeadline(c.sys, clock, ms), bits);
    }
    case FUTEX_WAKE:
      return c.sys.futexes.wake(k.space, k.addr, val, ALL);
    case FUTEX_WAKE_BITSET: {
      const bits = val3 % 4294967296 >>> 0;
      return bits === 0 ? -EINVAL : c.sys.futexes.wake(k.space, k.addr, val, bits);
    }
    case FUTEX_REQUEUE:
      if ((val | 0) < 0 || (val2 | 0) < 0) return -EINVAL;
      return requeue(c, k, opWord, val, addr2, val2);
    case FUTEX_CMP_REQUEUE:
      // The counts are ints: a negative one is refused before the value is compared.
      if ((val | 0) < 0 || (val2 | 0) < 0) return -EINVAL;
      if (load32(c, addr) !== val3 % 4294967296 >>> 0) return -EAGAIN;
      return requeue(c, k, opWord, val, addr2, val2);
    case FUTEX_WAKE_OP:
      return wakeOp(c, opWord, addr, val, addr2, val2, val3 % 4294967296 | 0);
    default:
      return -ENOSYS;
  }
};

// Rows of syscall-table.ts name these handlers.
export { futex };
