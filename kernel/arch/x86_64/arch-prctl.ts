// arch_prctl(2) on x86_64: the FS and GS bases of the calling thread (glibc
// and musl set FS to their thread control block before anything else).

import type { X86Context } from './user-context';

export const ARCH_SET_GS = 0x1001;
export const ARCH_SET_FS = 0x1002;
export const ARCH_GET_FS = 0x1003;
export const ARCH_GET_GS = 0x1004;
const EINVAL = 22;
const EPERM = 1;
const USER_TOP = 2 ** 47;
const TWO32 = 4294967296;

/** The result: 0, or a negative errno. write stores the GET forms' 8 bytes (and throws on a bad address). */
export function archPrctl(ctx: X86Context, code: number, addr: number, write: (addr: number, bytes: Uint8Array) => void): number {
  switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      // Linux refuses a base outside the user half (it would fault on every use).
      if (addr < 0 || addr >= USER_TOP) return -EPERM;
      if (code === ARCH_SET_FS) ctx.threadPointer = addr;
      else ctx.gsBase = addr;
      return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
      const value = code === ARCH_GET_FS ? ctx.threadPointer : ctx.gsBase;
      const b = new Uint8Array(8);
      const v = new DataView(b.buffer);
      v.setUint32(0, value % TWO32 >>> 0, true);
      v.setUint32(4, Math.floor(value / TWO32) >>> 0, true);
      write(addr, b);
      return 0;
    }
    default:
      return -EINVAL;
  }
}
