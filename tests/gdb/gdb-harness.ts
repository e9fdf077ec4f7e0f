// Drives gdb-multiarch in batch mode against salty (run -g, boot -gdb) or
// QEMU (qemu-aarch64 -g, qemu-system-aarch64 -gdb) with the same script, and
// normalises what legitimately differs between the two: stack addresses
// (qemu-user's stack sits near 0x55_0080_0000, ours under 2^48), thread and
// process ids, QEMU's "CPU#n [running]" thread notes, and the system
// registers only QEMU lists in `info registers`.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const SALTY = join(ROOT, 'dist', 'salty.mjs');
export const PROGRAMS = join(__dirname, 'programs');
export const SCRIPTS = join(__dirname, 'scripts');
export const GOLDENS = join(__dirname, 'goldens');

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export const HAVE_GDB = has('gdb-multiarch');
export const HAVE_QEMU_USER = has('qemu-aarch64');
export const HAVE_QEMU_SYSTEM = has('qemu-system-aarch64');

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export type Launcher = 'salty-run' | 'qemu-user' | 'salty-boot' | 'qemu-system';

/** Debian's arm64 cross libraries: the sysroot of dynamically linked test programs. */
export const CROSS_SYSROOT = '/usr/aarch64-linux-gnu';
export const HAVE_CROSS_SYSROOT = existsSync(join(CROSS_SYSROOT, 'lib/ld-linux-aarch64.so.1'));

export function launchCommand(launcher: Launcher, port: number, program: string, args: readonly string[], sysroot?: string): string[] {
  const l = sysroot === undefined ? [] : ['-L', sysroot];
  switch (launcher) {
    case 'salty-run':
      return [process.execPath, SALTY, 'run', ...l, '-g', String(port), program, ...args];
    case 'qemu-user':
      return ['qemu-aarch64', '-cpu', 'cortex-a57', ...l, '-g', String(port), program, ...args];
    case 'salty-boot':
      return [process.execPath, SALTY, 'boot', '-gdb', `tcp::${port}`, '-S', program];
    case 'qemu-system':
      return ['qemu-system-aarch64', '-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-gdb', `tcp::${port}`, '-S', '-kernel', program];
  }
}

export interface SessionResult {
  /** gdb's output (stdout and stderr, in order). */
  readonly gdb: string;
  /** The debugged program's (or emulator's) output and exit status. */
  readonly program: string;
  readonly status: number | null;
}

function waitExit(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Runs one gdb script (PROG and PORT substituted, and extra substitutions) against a launcher. */
export async function runSession(o: {
  launcher: Launcher;
  script: string;
  program: string;
  args?: readonly string[];
  substitute?: Record<string, string>;
  timeoutMs?: number;
  /** -L for a dynamically linked program (also SYSROOT in the script). */
  sysroot?: string;
}): Promise<SessionResult> {
  const port = await freePort();
  let text = readFileSync(join(SCRIPTS, o.script), 'utf8').replace(/PROG/g, o.program).replace(/PORT/g, String(port));
  if (o.sysroot !== undefined) text = text.replace(/SYSROOT/g, o.sysroot);
  for (const [k, v] of Object.entries(o.substitute ?? {})) text = text.replace(new RegExp(k, 'g'), v);
  const dir = mkdtempSync(join(tmpdir(), 'salty-gdb-'));
  const scriptFile = join(dir, 'script.gdb');
  writeFileSync(scriptFile, text);
  const [cmd, ...argv] = launchCommand(o.launcher, port, o.program, o.args ?? [], o.sysroot);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let program = '';
  child.stdout!.on('data', (d: Buffer) => (program += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (program += d.toString()));
  const timeout = o.timeoutMs ?? 60_000;
  // gdb retries the connection (tcp auto-retry) until the emulator listens.
  const gdb = spawn('gdb-multiarch', ['-nx', '-batch', '-ex', 'set tcp connect-timeout 30', '-ex', `directory ${PROGRAMS}`, '-x', scriptFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  gdb.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  gdb.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitExit(gdb, timeout);
  const status = await waitExit(child, 10_000);
  return { gdb: out, program, status };
}

const STACK_HEX = /^(?:550[0-9a-f]{7}|ffff[0-9a-f]{8})$/;

function stackLike(hex: string): boolean {
  return STACK_HEX.test(hex);
}

/** Where a PIE program is loaded: qemu-user's base and Linux's (ELF_ET_DYN_BASE, 2/3 of a 48-bit space). */
const PIE_BASES = [0x55_0000_0000n, 0xaaaa_aaaa_0000n];
const PIE_SPAN = 0x10_0000n;

/** A value as the placeholder it stands for, or undefined to keep it. */
function placeholder(v: bigint): string | undefined {
  for (const base of PIE_BASES) if (v >= base && v < base + PIE_SPAN) return `<pie+0x${(v - base).toString(16)}>`;
  return stackLike(v.toString(16)) ? '<stack>' : undefined;
}

/** What may differ between QEMU and salty, replaced by placeholders. */
export function normalise(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^[A-Z][A-Za-z0-9_]+\s+0x[0-9a-f]+\s/.test(l)) // QEMU's (many) system registers in info registers
    .filter((l) => !/^warning: No executable has been specified|^determining executable automatically/.test(l))
    .map((l) =>
      l
        .replace(/0x([0-9a-f]{1,16})\b/g, (m, h: string) => placeholder(BigInt('0x' + h)) ?? m)
        .replace(/\b(\d{10,})\b/g, (m, d: string) => placeholder(BigInt(d)) ?? m)
        .replace(/Thread \d+\.\d+( \(CPU#\d+ \[[a-z]+\]\))?/g, 'Thread <id>')
        .replace(/process \d+/g, 'process <pid>')
        .replace(/\s+/g, ' ')
        .trimEnd(),
    )
    .join('\n');
}

export function golden(name: string): string | undefined {
  const f = join(GOLDENS, name);
  return existsSync(f) ? readFileSync(f, 'utf8') : undefined;
}

export function saveGolden(name: string, text: string): void {
  writeFileSync(join(GOLDENS, name), text);
}
