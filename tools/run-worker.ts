// A worker thread that runs guest programs one after another, each on its own
// fresh HostedKernel and LinuxSystem (runProgram), for harnesses that run
// hundreds of short programs (tests/ltp): node starts, the bundle compiles
// and the emulator's hot paths get optimised once per worker instead of once
// per program. The parent ends a run that overstays its time by terminating
// the worker. Protocol (structured-clone messages):
//   parent -> worker: RunRequest
//   worker -> parent: first { tid } (its Linux thread id, so that the parent
//   can watch the thread's CPU time in /proc/self/task/TID/stat), then per
//   request { id, status, retired, ms, cpuMs, reusable } or { id, error }.
// The guest's stdout and stderr go, as written, into the request's shared
// buffer (a 32-bit length, then the bytes), which the parent reads when the
// run ends or when it cuts the run short (a message per write would cost
// more than many tests).

import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { anyLocks } from '../kernel/vfs/file-locks';
import { runProgram, type ProcessIo } from './cli/run-program';
import { parseRootSize, parseSize } from './cli/size';
import './cli/wasm-flags';

export interface RunRequest {
  readonly id: number;
  readonly file: string;
  readonly args: readonly string[];
  readonly argv0?: string;
  readonly env: readonly string[];
  readonly cwd: string;
  readonly sysroot?: string;
  readonly strace?: boolean;
  readonly memory?: string;
  /** The writable layer's size (--root-size); default half of memory. */
  readonly rootSize?: string;
  /** Int32 length at 0, output bytes from 4; what does not fit is dropped (a test that loops printing). */
  readonly output: SharedArrayBuffer;
}

const port = parentPort;
if (!port) throw new Error('run-worker.mjs runs only as a worker thread');

/** This thread's id and CPU time (user + system, ms) from /proc/thread-self/stat; undefined off Linux. */
function threadStat(): { tid: number; cpuMs: number } | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms; f starts at field 3.
    return { tid: Number(stat.slice(0, stat.indexOf(' '))), cpuMs: (Number(f[11]) + Number(f[12])) * 10 };
  } catch {
    return undefined;
  }
}

port.postMessage({ tid: threadStat()?.tid });

port.on('message', (req: RunRequest) => {
  const started = Date.now();
  const length = new Int32Array(req.output, 0, 1);
  const bytes = new Uint8Array(req.output, 4);
  let used = 0;
  Atomics.store(length, 0, 0);
  const send = (d: Uint8Array): void => {
    const n = Math.min(d.length, bytes.length - used);
    if (n <= 0) return;
    bytes.set(n === d.length ? d : d.subarray(0, n), used);
    used += n;
    Atomics.store(length, 0, used);
  };
  const io: ProcessIo = { writeOut: send, writeErr: send, readIn: () => new Uint8Array(0), isTty: () => false };
  let retired = 0;
  const cpu0 = threadStat()?.cpuMs;
  try {
    const status = runProgram(
      {
        file: req.file,
        bytes: readFileSync(req.file),
        args: req.args,
        argv0: req.argv0,
        env: req.env,
        cwd: req.cwd,
        memoryBytes: parseSize(req.memory ?? '256M'),
        rootSize: req.rootSize === undefined ? undefined : parseRootSize(req.rootSize, parseSize(req.memory ?? '256M')),
        strace: req.strace ?? false,
        stats: false,
        sysroot: req.sysroot,
        onRetired: (n) => (retired = n),
      },
      io,
    );
    // Lock tables are kept per inode number for the whole thread: a run that
    // left a lock behind would leak it into the next system.
    const cpu1 = threadStat()?.cpuMs;
    const cpuMs = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
    port.postMessage({ id: req.id, status, retired, ms: Date.now() - started, cpuMs, reusable: !anyLocks() });
  } catch (e) {
    port.postMessage({ id: req.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
