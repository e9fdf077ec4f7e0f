// The host CPU as the oracle for CPU tests: a snippet runs natively inside a
// tiny static program of ours (registers and RFLAGS loaded, a 256-byte buffer
// at DATA, everything dumped after) and on the emulator from the same state.
// Native results are cached in native-goldens.json (committed), so the tests
// also run where no x86-64 host or binutils is available.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vector } from '../../board/x86_64/x86-fault';
import { x86asm } from './x86-asm';
import { DATA, x86Machine } from './x86-test-machine';

const GOLDENS = join(__dirname, 'native-goldens.json');
const REG_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
export const BUF_BYTES = 256;

export interface OracleCase {
  /** Intel-syntax snippet; DATA (0x500000) holds the buffer; RSP is a valid stack. */
  readonly code: string;
  /** Initial GPRs by number (RSP ignored); unset ones are 0. */
  readonly regs?: Readonly<Record<number, bigint>>;
  /** Initial arithmetic flags and DF (TF/AC are never set). */
  readonly flags?: number;
  /** Initial buffer bytes (the rest zero). */
  readonly buf?: readonly number[];
}

export interface OracleResult {
  /** 16 registers as hex (RSP reported as 0), RFLAGS, the buffer as hex, or the signal that ended the run. */
  readonly regs?: string[];
  readonly rflags?: number;
  readonly buf?: string;
  readonly signal?: string;
}

let goldens: Record<string, OracleResult> | undefined;

function load(): Record<string, OracleResult> {
  goldens ??= existsSync(GOLDENS) ? (JSON.parse(readFileSync(GOLDENS, 'utf8')) as Record<string, OracleResult>) : {};
  return goldens;
}

function keyOf(c: OracleCase): string {
  const regs = Object.entries(c.regs ?? {}).map(([k, v]) => `${k}=${BigInt.asUintN(64, v).toString(16)}`).join(',');
  return createHash('sha1').update(JSON.stringify([c.code.trim(), regs, c.flags ?? 0, c.buf ?? []])).digest('hex').slice(0, 16);
}

const u64 = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

function program(c: OracleCase): string {
  const regs = c.regs ?? {};
  const lines = [
    '.intel_syntax noprefix',
    '.section .buf, "aw"',
    `.byte ${Array.from({ length: BUF_BYTES }, (_, i) => c.buf?.[i] ?? 0).join(',')}`,
    '.data',
    'out: .zero 136',
    'save: .quad 0',
    '.text',
    '.globl _start',
    '_start:',
    'mov qword ptr [save], rsp',
    `mov rax, ${u64(BigInt(((c.flags ?? 0) & 0xcd5) | 0x202))}`,
    'push rax',
    'popfq',
  ];
  for (let n = 0; n < 16; n++) if (n !== 4) lines.push(`mov ${REG_NAMES[n]}, ${u64(regs[n] ?? 0n)}`);
  lines.push(c.code.trim());
  lines.push('pushfq', 'pop qword ptr [out + 128]');
  for (let n = 0; n < 16; n++) if (n !== 4) lines.push(`mov qword ptr [out + ${8 * n}], ${REG_NAMES[n]}`);
  lines.push('cld', 'mov rsp, qword ptr [save]');
  lines.push('mov eax, 1', 'mov edi, 1', 'lea rsi, [out]', 'mov edx, 136', 'syscall');
  lines.push('mov eax, 1', 'mov edi, 1', `mov rsi, ${DATA}`, `mov edx, ${BUF_BYTES}`, 'syscall');
  lines.push('mov eax, 60', 'xor edi, edi', 'syscall');
  return lines.join('\n') + '\n';
}

function runNative(c: OracleCase): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'salty-oracle-'));
  try {
    writeFileSync(join(dir, 'p.s'), program(c));
    execFileSync('as', ['--64', '-o', join(dir, 'p.o'), join(dir, 'p.s')]);
    execFileSync('ld', ['-static', `--section-start=.buf=0x${DATA.toString(16)}`, '-o', join(dir, 'p'), join(dir, 'p.o')]);
    const res = spawnSync(join(dir, 'p'), { encoding: 'buffer' });
    if (res.signal !== null) return { signal: res.signal };
    const out = res.stdout;
    if (out.length !== 136 + BUF_BYTES) throw new Error(`oracle program wrote ${out.length} bytes`);
    const regs: string[] = [];
    for (let n = 0; n < 16; n++) regs.push(n === 4 ? '0' : out.readBigUInt64LE(8 * n).toString(16));
    return { regs, rflags: Number(out.readBigUInt64LE(128)), buf: out.subarray(136).toString('hex') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The host CPU's result for a case (from the goldens when recorded). */
export function native(c: OracleCase): OracleResult {
  const g = load();
  const key = keyOf(c);
  if (g[key] !== undefined) return g[key];
  if (process.arch !== 'x64' || process.platform !== 'linux') throw new Error(`no native golden for case ${key} and this host cannot run x86-64 Linux code`);
  const r = runNative(c);
  g[key] = r;
  // One line per case: small diffs when cases are added.
  const lines = Object.keys(g).sort().map((k) => ` ${JSON.stringify(k)}: ${JSON.stringify(g[k])}`);
  writeFileSync(GOLDENS, `{\n${lines.join(',\n')}\n}\n`);
  return r;
}

const SIGNAL_OF: Record<number, string> = {
  [Vector.DE]: 'SIGFPE',
  [Vector.UD]: 'SIGILL',
  [Vector.GP]: 'SIGSEGV',
  [Vector.SS]: 'SIGBUS',
  [Vector.PF]: 'SIGSEGV',
  [Vector.BP]: 'SIGTRAP',
};

/** The emulator's result for the same case. */
export function emulate(c: OracleCase): OracleResult {
  const m = x86Machine(x86asm(c.code));
  for (let n = 0; n < 16; n++) if (n !== 4) m.setReg(n, c.regs?.[n] ?? 0n);
  m.cpu.setRflags(((c.flags ?? 0) & 0xcd5) | 0x202);
  const buf = new Uint8Array(BUF_BYTES);
  c.buf?.forEach((b, i) => (buf[i] = b));
  m.phys.writeBytes(DATA, buf);
  const t = m.run();
  if (!(t.kind === 'exception' && t.vector === Vector.BP && t.insnRip === m.cpu.rip - 1 && m.phys.bytes[t.insnRip] === 0xcc && t.insnRip >= 0x40_0000 + x86asm(c.code).length)) {
    return { signal: SIGNAL_OF[t.vector] ?? `vector ${t.vector}` };
  }
  const regs: string[] = [];
  for (let n = 0; n < 16; n++) regs.push(n === 4 ? '0' : m.reg(n).toString(16));
  return { regs, rflags: m.rflags(), buf: Buffer.from(m.phys.readBytes(DATA, BUF_BYTES)).toString('hex') };
}

/** Native and emulated results with RFLAGS reduced to `flagMask` (the SDM-defined flags of the case). */
export function compare(c: OracleCase, flagMask = 0xcd5): { native: OracleResult; emulated: OracleResult } {
  const mask = (r: OracleResult): OracleResult => (r.rflags === undefined ? r : { ...r, rflags: r.rflags & flagMask });
  return { native: mask(native(c)), emulated: mask(emulate(c)) };
}
