// Thread and debug-console invocations: a thread's exit, and the console's
// write and statistics labels (the buffer is checked against the caller's
// regions in the decode step, so a bad buffer changes nothing).

import type { DebugConsole, ThreadHandle } from '../cap/kernel-objects';
import { accept, fail, isWhole, type Decoded, type NativeContext } from './native-context';
import { NativeError } from './native-errors';
import { Label } from './native-labels';
import { STAT_WORDS, statWords } from './native-stats';

/** The most bytes one debug write takes. */
export const DEBUG_WRITE_MAX = 1 << 16;

export type ThreadOp = { readonly label: typeof Label.threadExit; readonly status: number };

export function decodeThread(label: number, args: readonly number[]): Decoded<ThreadOp> {
  if (label !== Label.threadExit) return fail(NativeError.illegalLabel);
  const [status] = args;
  if (!Number.isSafeInteger(status)) return fail(NativeError.invalidArgument);
  return accept({ label, status });
}

export function invokeThread(thread: ThreadHandle, op: ThreadOp): number {
  thread.exit(op.status);
  return 0;
}

export type DebugOp = { readonly label: typeof Label.debugWrite | typeof Label.debugStats; readonly va: number; readonly length: number };

export function decodeDebug(ctx: NativeContext, label: number, args: readonly number[]): Decoded<DebugOp> {
  if (label !== Label.debugWrite && label !== Label.debugStats) return fail(NativeError.illegalLabel);
  const [va, n] = args;
  if (!isWhole(va) || !isWhole(n)) return fail(NativeError.invalidArgument);
  const max = label === Label.debugWrite ? DEBUG_WRITE_MAX : STAT_WORDS;
  if (n > max) return fail(NativeError.outOfRange);
  const length = label === Label.debugWrite ? n : n * 8;
  if (length > 0 && !ctx.user?.covers(va, length, label === Label.debugStats)) return fail(NativeError.badAddress);
  return accept({ label, va, length });
}

export function invokeDebug(ctx: NativeContext, console: DebugConsole, op: DebugOp): number {
  if (op.length === 0) return 0;
  if (op.label === Label.debugWrite) {
    const bytes = ctx.user!.read(op.va, op.length);
    if (bytes) console.write(bytes);
    return bytes ? op.length : 0;
  }
  const words = statWords(ctx.mm).slice(0, op.length / 8);
  const out = new DataView(new ArrayBuffer(op.length));
  words.forEach((w, i) => {
    out.setUint32(i * 8, w % 4294967296, true);
    out.setUint32(i * 8 + 4, Math.floor(w / 4294967296), true);
  });
  return ctx.user!.write(op.va, new Uint8Array(out.buffer)) ? words.length : 0;
}
