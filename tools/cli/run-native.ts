// `salty run` of a program carrying the SaltyOS note: a native process (not a
// Linux one) on the same hosted kernel; --strace prints its invocations,
// --stats the tier statistics at exit.

import { nativeAbiVersion, NATIVE_ABI_VERSION } from '../../loader/native-note';
import type { ProgramImage } from '../../loader/program-image';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { NativeSystem } from '../../kernel/native/native-system';
import { NativeLoadError } from '../../kernel/native/native-process';
import { collectStats, formatStats } from '../../kernel/mm/stats-report';
import { OutOfFrames } from '../../kernel/mm/pmm';
import type { ProcessIo, RunOptions } from './run-program';

export function isNativeProgram(bytes: Uint8Array): boolean {
  return nativeAbiVersion(bytes) !== null;
}

export function runNativeProgram(o: RunOptions, image: ProgramImage, io: ProcessIo): number {
  const version = nativeAbiVersion(o.bytes);
  if (version !== NATIVE_ABI_VERSION) {
    io.writeErr(Buffer.from(`salty: ${o.file}: native ABI version ${version}, this salty speaks ${NATIVE_ABI_VERSION}\n`));
    return 126;
  }
  const kernel = new HostedKernel(o.memoryBytes, { wallClock: o.wallClock, arch: image.machine });
  const system = new NativeSystem(kernel, { io, strace: o.strace, instructionLimit: o.instructionLimit });
  let proc;
  try {
    proc = system.spawn(image, o.file);
  } catch (e) {
    if (!(e instanceof OutOfFrames || e instanceof NativeLoadError)) throw e;
    const why = e instanceof OutOfFrames ? ' (the guest RAM, -m, is too small for it)' : '';
    io.writeErr(Buffer.from(`salty: ${o.file}: cannot start: ${e.message}${why}\n`));
    return 126;
  }
  const started = process.hrtime.bigint();
  const status = system.run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  o.onRetired?.(kernel.retired);
  if (o.stats) {
    const retired = kernel.retired;
    const lines = [
      '--- salty stats ---',
      `arch: ${kernel.arch} (native process)`,
      `instructions retired: ${retired}`,
      `time: ${seconds.toFixed(3)} s, ${(retired / seconds / 1e6).toFixed(1)} MIPS`,
      `invocations: ${system.invocations}`,
      `threads: ${system.processes.reduce((n, p) => n + p.threads.length, 0)}, faults sent to a pager: ${system.threads.pagerFaults}`,
      `untyped of the process: 2^${proc.untyped.sizeBits} bytes; boot untyped 2^${proc.bootUntyped.sizeBits} bytes`,
      `interrupts: ${kernel.interruptCount} (timer ${kernel.interrupts.get(kernel.machine.timerVector) ?? 0}), preemptions: ${system.preemptions}`,
      formatStats(collectStats(kernel.mm)),
    ];
    io.writeErr(Buffer.from(lines.join('\n') + '\n'));
  }
  return status;
}
