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
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(u32At(b, 8 * i + 4) * TWO32 + u32At(b, 8 * i));
    return out;
  }

  /** Reads a timespec as milliseconds (null for a NULL pointer). */
  timespecMs(addr: number): number | null {
    if (addr === 0) return null;
    const b = this.user.read(addr, 16);
    const sec = (u32At(b, 4) | 0) * TWO32 + u32At(b, 0);
    const nsec = (u32At(b, 12) | 0) * TWO32 + u32At(b, 8);
    return sec * 1000 + nsec / 1e6;
  }
}

/**
 * Little-endian 64-bit words. Bytes are stored one by one: a DataView over a
 * small typed array makes V8 move its buffer off the heap first, which costs
 * microseconds on every syscall that answers a structure.
 */
export function encodeU64s(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    putU32(out, 8 * i, x % TWO32 >>> 0);
    putU32(out, 8 * i + 4, Math.floor(x / TWO32) >>> 0);
  }
  return out;
}

function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
  b[at + 2] = v >>> 16;
  b[at + 3] = v >>> 24;
}

/** The unsigned little-endian 32-bit value at b[at] (no DataView: see encodeU64s). */
export function u32At(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function timespec(ms: number): Uint8Array {
  const sec = Math.floor(ms / 1000);
  return encodeU64s([sec, Math.floor((ms - sec * 1000) * 1e6)]);
}
