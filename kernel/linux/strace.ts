// One --strace line, in the spirit of qemu-user's -strace: name(args) = result.

import { errnoName } from './errno';

function hexOrDec(v: number): string {
  return v > 0xffff ? `0x${v.toString(16)}` : String(v);
}

export function formatSyscall(name: string, args: readonly number[], result: number, unknown: boolean): string {
  const shown = args.slice(0, 6).map(hexOrDec).join(',');
  const res = result < 0 && result > -4096 ? `-1 errno=${-result} (${errnoName(-result)})${unknown ? ' [not implemented]' : ''}` : hexOrDec(result);
  return `${name}(${shown}) = ${res}`;
}
