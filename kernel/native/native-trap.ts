// The native trap: x0 = capability slot, x1 = label, x2..x7 = arguments;
// on return x0 = error code, x1 = value.

import type { NativeContext } from './native-context';
import { MAX_ARGS, nativeInvoke } from './native-invoke';

/** 64-bit registers as numbers (exact below 2^53, which covers every slot, page and user address). */
export interface NativeRegisters {
  readX(n: number): number;
  writeX(n: number, value: number): void;
}

export function nativeTrap(ctx: NativeContext, regs: NativeRegisters): void {
  const args: number[] = [];
  for (let i = 0; i < MAX_ARGS; i++) args.push(regs.readX(2 + i));
  const r = nativeInvoke(ctx, regs.readX(0), regs.readX(1), args);
  regs.writeX(0, r.error);
  regs.writeX(1, r.value);
}
