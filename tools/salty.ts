// The salty command line.

import { readFileSync } from 'node:fs';
import demoElf from '../tests/fixtures/demo/demo.elf';
import { ElfError } from '../loader/elf-error';
import { parseRunArgs, RUN_USAGE, UsageError } from './cli/run-args';
import { runProgram } from './cli/run-program';
import { useJitWorker } from './cli/jit-worker-client';
import { runUnderGdb } from './gdb/run-under-gdb';
import { bootCommand } from './cli/boot-command';
import { compareCommand } from './cli/compare-command';
import { parseRootSize, parseSize } from './cli/size';
import { VERSION } from './cli/version';
import './cli/wasm-flags';
import { LONG_RUN_INSTRUCTIONS, noteUse, USE_LONG_RUN, USE_RUN } from './cli/code-cache-uses';

function fail(message: string): never {
  process.stderr.write(`salty: ${message}\n`);
  process.exit(1);
}

function readProgram(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(`${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message}`);
  }
}

function environment(set: readonly string[], unset: readonly string[]): string[] {
  const env = new Map(Object.entries(process.env).map(([k, v]) => [k, v ?? '']));
  for (const u of unset) env.delete(u);
  for (const s of set) {
    const eq = s.indexOf('=');
    if (eq <= 0) fail(`-E ${s}: expected VAR=VALUE`);
    env.set(s.slice(0, eq), s.slice(eq + 1));
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function runCommand(argv: readonly string[]): void {
  let a;
  try {
    a = parseRunArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) fail(`run: ${e.message}\n${RUN_USAGE.trimEnd()}`);
    throw e;
  }
  if (a.help) {
    process.stdout.write(RUN_USAGE);
    return;
  }
  let memoryBytes: number;
  let rootSize: number | undefined;
  try {
    memoryBytes = parseSize(a.memory);
    rootSize = a.rootSize === undefined ? undefined : parseRootSize(a.rootSize, memoryBytes);
  } catch (e) {
    fail((e as Error).message);
  }
  const file = a.prog ?? 'demo.elf';
  const bytes = a.prog === undefined ? demoElf : readProgram(file);
  // SALTY_JIT_WORKER=1: hot blocks translate on a thread of their own while this one runs the guest (not under gdb).
  if (a.gdbPort === undefined) useJitWorker();
  try {
    const options = {
      file,
      bytes,
      args: a.args,
      argv0: a.argv0,
      env: environment(a.set, a.unset),
      memoryBytes,
      strace: a.strace,
      stats: a.stats,
      audit: a.audit,
      instructionLimit: a.maxInsns,
      root: a.root,
      rootSize,
      sysroot: a.sysroot ?? process.env.QEMU_LD_PREFIX,
      wallClock: a.wallClock,
      jit: a.jit,
      onRetired: (n: number) => {
        if (n >= LONG_RUN_INSTRUCTIONS) noteUse(USE_LONG_RUN);
      },
    };
    noteUse(USE_RUN);
    if (a.gdbPort !== undefined) {
      runUnderGdb(options, a.gdbPort).then(
        (status) => process.exit(status),
        (e: Error) => fail(e instanceof ElfError ? e.message : `gdb: ${e.message}`),
      );
      return;
    }
    process.exitCode = runProgram(options);
    // Exit now: at the end of its loop Node waits for V8's background jobs (TurboFan compiling code that will
    // never run again, on threads at a lower priority), 10-50 ms. Nothing of the run is pending: output went out
    // with writeSync, and the host network has finished (LinuxSystem.runStatus).
    process.exit();
  } catch (e) {
    if (e instanceof ElfError) fail(e.message);
    throw e;
  }
}

// (yargs only for the top level's usage, --help and --version: loading it took 6 ms of every run's start.)
const argv = process.argv.slice(2);
if (argv[0] === 'run') {
  runCommand(argv.slice(1));
} else if (argv[0] === 'compare') {
  process.exitCode = compareCommand(argv.slice(1), environment([], []));
} else if (argv[0] === 'boot') {
  bootCommand(argv.slice(1)).then((status) => process.exit(status));
} else {
  void topLevelUsage(argv);
}

async function topLevelUsage(args: string[]): Promise<void> {
  const { default: yargs } = await import('yargs');
  yargs(args)
    .scriptName('salty')
    .command('run [options] [PROG [ARGS...]]', 'run a static aarch64 Linux ELF (the built-in demo when PROG is omitted); salty run --help for options')
    .command('compare [options] [AARCH64.elf X86_64.elf [ARGS...]]', 'run one program built for both arches, each on its own backend, and report side by side (built-in workloads when no programs are given); salty compare --help for options')
    .command('boot [options] IMAGE', 'boot a bare-metal aarch64 image on the virt board, like qemu-system-aarch64 -M virt -kernel; salty boot --help for options')
    .demandCommand(1, 'say what to do: salty run PROG [ARGS]')
    .strict()
    .version(VERSION)
    .help()
    .parse();
}
