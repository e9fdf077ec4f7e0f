// `salty run -g PORT`: the program is loaded, then waits for gdb before its
// first instruction; gdb drives it until it detaches, kills it, goes away or
// the program ends. After a detach (or a lost connection) it runs on alone.

import { finishProgram, hostIo, startProgram, type ProcessIo, type RunOptions } from '../cli/run-program';
import { LinuxDebugTarget } from './linux-target';
import { acceptGdb, serveGdb } from './gdb-session';

const KILLED = 128 + 9;

export async function runUnderGdb(o: RunOptions, port: number, io: ProcessIo = hostIo): Promise<number> {
  const run = startProgram(o, io);
  const socket = await acceptGdb(port);
  const target = new LinuxDebugTarget(run.system, run.proc);
  const how = await serveGdb(socket, target, run.proc.pid);
  if (how === 'kill') return KILLED;
  while (run.system.runOnce());
  return finishProgram(o, io, run, run.system.runStatus());
}
