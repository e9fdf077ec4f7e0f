// Runs a native ELF on a fresh hosted kernel, capturing its console and
// --strace output, and keeps the kernel for the test to inspect.

import { readFileSync } from 'node:fs';
import { parseElfImage } from '../../loader/elf-image';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { NativeSystem, type InvocationObserver } from '../../kernel/native/native-system';
import type { NativeProcess } from '../../kernel/native/native-process';

export const RAM = 256 << 20;

/** The arches the SDK builds for: every native test runs on each. */
export const ARCHES = ['aarch64', 'x86_64'] as const;
export type SdkArch = (typeof ARCHES)[number];

/** An SDK example built for arch (sdk/build.sh). */
export function example(arch: SdkArch, name: string): string {
  return `sdk/examples/${arch}/${name}.elf`;
}

/** A test program of tests/native/guest built for arch. */
export function guest(arch: SdkArch, name: string): string {
  return `tests/native/guest/${arch}/${name}.elf`;
}

export interface NativeRun {
  readonly status: number;
  readonly out: string;
  readonly err: string;
  readonly kernel: HostedKernel;
  readonly system: NativeSystem;
  readonly proc: NativeProcess;
  /** The PMM audit before the process was made. */
  readonly before: ReturnType<HostedKernel['mm']['pmm']['audit']>;
}

export interface NativeRunOptions {
  readonly strace?: boolean;
  readonly untypedBits?: number;
  readonly limit?: number;
  readonly ram?: number;
  readonly observer?: InvocationObserver;
  /** Sees the system before the program runs. */
  readonly onSystem?: (system: NativeSystem) => void;
  /** Replaces the ELF's bytes before it runs (a seed patched in). */
  readonly patch?: (bytes: Uint8Array) => void;
}

export function runNative(path: string, opts: NativeRunOptions = {}): NativeRun {
  const bytes = new Uint8Array(readFileSync(path));
  opts.patch?.(bytes);
  const image = parseElfImage(bytes, { fileName: path });
  const kernel = new HostedKernel(opts.ram ?? RAM, { arch: image.machine });
  let out = '';
  let err = '';
  const io = { writeOut: (d: Uint8Array) => (out += Buffer.from(d).toString()), writeErr: (d: Uint8Array) => (err += Buffer.from(d).toString()) };
  const system = new NativeSystem(kernel, { io, strace: opts.strace ?? false, instructionLimit: opts.limit ?? 50_000_000, observer: opts.observer });
  opts.onSystem?.(system);
  const before = kernel.mm.pmm.audit();
  const proc = system.spawn(image, path, opts.untypedBits);
  const status = system.run();
  return { status, out, err, kernel, system, proc, before };
}
