// `salty boot` with a gdb stub (-s, -S, -gdb tcp::PORT): the board runs (or,
// with -S, waits halted at its first instruction) until gdb connects; gdb
// then drives it; after a detach or a lost connection it runs on alone.

import type { VirtBoard } from '../../board/virt/virt-board';
import { BoardDebugTarget } from './board-target';
import type { StopEvent } from './debug-target';
import { listenForGdb, serveGdb } from './gdb-session';

export interface BootGdbOptions {
  readonly port: number;
  /** -S: halt before the first instruction until gdb says continue. */
  readonly halt: boolean;
}

const KILLED = 128 + 9;
const IDLE_MS = 5;

const nextTurn = (idle: boolean) => new Promise<void>((resolve) => (idle ? setTimeout(resolve, IDLE_MS) : setImmediate(resolve)));

function statusOf(ev: StopEvent): number | undefined {
  if (ev.kind === 'exited') return ev.status;
  if (ev.kind === 'terminated') return KILLED;
  return undefined;
}

/**
 * Runs the board under gdb; resolves to the exit status. `check` is asked
 * between stretches of free running for a reason to stop (timeout, Ctrl-C).
 */
export async function bootUnderGdb(board: VirtBoard, o: BootGdbOptions, afterRun: () => void, check: () => number | undefined): Promise<number> {
  const target = new BoardDebugTarget(board, afterRun);
  const listener = listenForGdb(o.port);
  let socket: Awaited<typeof listener.connection> | undefined;
  let failure: Error | undefined;
  listener.connection.then(
    (s) => (socket = s),
    (e: Error) => (failure = e),
  );
  if (o.halt) socket = await listener.connection;
  while (socket === undefined) {
    if (failure !== undefined) throw failure;
    const status = runFree(target, check);
    if (status !== undefined) {
      listener.close();
      return status;
    }
    await nextTurn(target.idle);
  }
  const how = await serveGdb(socket, target, 1);
  if (how === 'kill') return KILLED;
  for (;;) {
    const status = runFree(target, check);
    if (status !== undefined) return status;
    await nextTurn(target.idle);
  }
}

function runFree(target: BoardDebugTarget, check: () => number | undefined): number | undefined {
  const ev = target.run(20);
  if (ev !== undefined) {
    const status = statusOf(ev);
    if (status !== undefined) return status;
  }
  return check();
}
