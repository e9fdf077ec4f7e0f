// What a syscall handler gets: the system, the calling thread and process,
// its six arguments, and helpers for user memory and blocking.

import type { AddressSpace } from '../process/address-space';
import { UserFault, type UserMemory } from '../process/user-memory';
import { BLOCKED, type Blocked } from '../sched/thread';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { describeCall, guardLater } from './syscall-guard';

/** A handler's answer when it has set the registers itself (execve, rt_sigreturn, exit). */
export const NO_RESULT: unique symbol = Symbol('no result');
export type SyscallResult = number | Blocked | typeof NO_RESULT;
export type Syscall = (c: Call) => SyscallResult;

const TWO32 = 4294967296;
const PATH_MAX = 4096;
const NAME_MAX = 255;
const ENAMETOOLONG = 36;

/** Thrown by argument readers deep in a handler: the call answers -errno (the dispatcher catches it). */
export class SyscallError extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

export class Call {
  readonly p: LinuxProcess;
  readonly mem: AddressSpace;
  readonly user: UserMemory;

  constructor(
    readonly sys: LinuxSystem,
    readonly t: LinuxThread,
    /** The argument registers as signed 64-bit values (exact for small negatives and addresses). */
    readonly a: readonly number[],
    /** The syscall's name (the internal-error line names it). */
    readonly name = '',
  ) {
    this.p = t.proc;
    this.mem = t.proc.mem;
    this.user = t.proc.mem.user;
  }

  /** Argument i as a signed 32-bit int (fds, flags). */
  int(i: number): number {
    return this.a[i] % TWO32 | 0;
  }

  /** Argument i as an unsigned 32-bit value. */
  u32(i: number): number {
    return this.int(i) >>> 0;
  }

  /** Argument i as a size_t capped at cap: a negative register is a size past 2^63, so it is the cap too. */
  size(i: number, cap: number): number {
    const v = this.a[i];
    return v < 0 ? cap : Math.min(v, cap);
  }

  str(addr: number, max = 4096): string {
    return this.user.readString(addr, max);
  }

  /** A path argument: ENAMETOOLONG (thrown as a SyscallError) past PATH_MAX or with a name past NAME_MAX. */
  path(addr: number): string {
    let s: string;
    try {
      s = this.user.readString(addr, PATH_MAX);
    } catch (e) {
      if (e instanceof UserFault && e.address === addr + PATH_MAX) throw new SyscallError(ENAMETOOLONG);
      throw e;
    }
    for (const name of s.split('/')) if (Buffer.byteLength(name) > NAME_MAX) throw new SyscallError(ENAMETOOLONG);
    return s;
  }

  /**
   * Blocks the thread until retry yields a result (first tried now). retry and
   * cancel run later from the scheduler, outside this call's error handling:
   * a fault on user memory in them becomes EFAULT as it does here (Linux's
   * copy_to_user of a result that failed), and a bad address in cancel's
   * write (nanosleep's remaining time) makes the call's result EFAULT.
   */
  block(retry: () => number | Blocked, opts: { deadline?: number; interruptible?: boolean; cancel?: () => void; interruptResult?: number } = {}): SyscallResult {
    const r = retry();
    if (r !== BLOCKED) return r;
    const call = describeCall(this.name, this.a);
    const cancel = opts.cancel;
    const guardedCancel = cancel && guardLater(this.sys, this.t, call, 'cancel of a blocked call', (): undefined => (cancel(), undefined));
    this.t.block({
      retry: guardLater(this.sys, this.t, call, 'retry of a blocked call', retry),
      deadline: opts.deadline,
      interruptible: opts.interruptible ?? true,
      cancel: guardedCancel,
      interruptResult: opts.interruptResult,
    });
    return BLOCKED;
  }

  /** Reads an array of n 64-bit user words. */
  words(addr: number, n: number): number[] {
    const b = this.user.read(addr, 8 * n);
    const v = new DataView(b.buffer);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(v.getUint32(8 * i + 4, true) * TWO32 + v.getUint32(8 * i, true));
    return out;
  }

  /** Reads a timespec as milliseconds (null for a NULL pointer). */
  timespecMs(addr: number): number | null {
    if (addr === 0) return null;
    const b = this.user.read(addr, 16);
    const v = new DataView(b.buffer);
    const sec = v.getInt32(4, true) * TWO32 + v.getUint32(0, true);
    const nsec = v.getInt32(12, true) * TWO32 + v.getUint32(8, true);
    return sec * 1000 + nsec / 1e6;
  }
}

export function encodeU64s(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    v.setUint32(8 * i, x % TWO32 >>> 0, true);
    v.setUint32(8 * i + 4, Math.floor(x / TWO32) >>> 0, true);
  });
  return out;
}

export function timespec(ms: number): Uint8Array {
  const sec = Math.floor(ms / 1000);
  return encodeU64s([sec, Math.floor((ms - sec * 1000) * 1e6)]);
}
