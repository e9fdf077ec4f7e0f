// --strace for native processes: one line per invocation, naming the slot,
// the object type it held, the label, the arguments the label takes and the
// error (or the value).

import { nativeErrorName } from './native-errors';
import { Label, labelName } from './native-labels';

/** How many of x2.. each label reads (an unknown label shows all six). */
const ARG_COUNT = new Map<number, number>([
  [Label.untypedRetype, 3],
  [Label.untypedFreeBytes, 0],
  [Label.memoryObjectCommit, 3],
  [Label.memoryObjectDecommit, 2],
  [Label.memoryObjectClone, 3],
  [Label.vspaceMap, 5],
  [Label.vspaceUnmap, 2],
  [Label.vspaceProtect, 3],
  [Label.cspaceCopy, 2],
  [Label.cspaceMint, 4],
  [Label.cspaceDelete, 1],
  [Label.cspaceRevoke, 1],
  [Label.threadExit, 1],
  [Label.debugWrite, 2],
  [Label.debugStats, 2],
]);

/** Extra labels another file defines (endpoints, TCBs): their argument counts for --strace. */
export function registerStraceArgs(label: number, count: number): void {
  ARG_COUNT.set(label, count);
}

const show = (n: number): string => (Number.isSafeInteger(n) && n >= 0 && n < 4096 ? String(n) : Number.isSafeInteger(n) && n >= 0 ? `0x${n.toString(16)}` : String(n));

export function formatInvocation(tid: number, slot: number, kind: string, label: number, args: readonly number[], error: number, value: number): string {
  const n = ARG_COUNT.get(label) ?? args.length;
  const shown = args.slice(0, n).map(show).join(', ');
  const outcome = error === 0 ? `= ${show(value)}` : `= error ${error} (${nativeErrorName(error)})`;
  return `[${tid}] invoke slot ${show(slot)} (${kind}) ${labelName(label)}(${shown}) ${outcome}`;
}
