// Instruction-level x87 checks against the host CPU: a batch of snippets is
// assembled once (GNU as, Intel syntax) and run as one static program
// natively and on the emulator. Before each snippet the FPU is reset and a
// control word loaded; after it the environment (FIP zeroed: code addresses
// differ), RFLAGS, the 8 registers in stack order and a 16-byte scratch area
// are dumped to the snippet's output slot. The code bytes, the input data
// and the host's output are recorded in insn-goldens.json, so the emulator
// side also runs where there is no toolchain or x86-64 host.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Vector } from '../../../board/x86_64/x86-fault';
import { DATA, X86TestMachine } from '../x86-test-machine';

const GOLDENS = join(__dirname, 'insn-goldens.json');
/** Bytes per snippet: 64 of input at IN, then the dump. */
export const SLOT = 256;
const IN = 0;
const SCRATCH = 64; // snippet-written memory (16 bytes)
const ENV = 80; // 28 bytes
const FLAGS = 112; // 8 bytes
const RAX = 120; // 8 bytes
const REGS = 128; // 8 x 10 bytes

export interface Snippet {
  /** Intel syntax; `IN` and `OUT` stand for this slot's input and scratch addresses. */
  readonly code: string;
  /** Up to 64 input bytes. */
  readonly input: readonly number[];
  /** Control word loaded before the snippet. */
  readonly fcw?: number;
}

/** A recorded batch: code bytes and host output deflated and base64-encoded, the input data by hash. */
interface Golden {
  code: string;
  data: string;
  native: string;
}

const pack = (b: Uint8Array): string => deflateRawSync(b, { level: 9 }).toString('base64');
const unpack = (s: string): Buffer => inflateRawSync(Buffer.from(s, 'base64'));
const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').slice(0, 32);

function snippetSource(s: Snippet, k: number): string {
  const base = DATA + k * SLOT;
  const body = s.code.replaceAll('IN', `0x${(base + IN).toString(16)}`).replaceAll('OUT', `0x${(base + SCRATCH).toString(16)}`);
  const fcwAt = `0x${(base + 60).toString(16)}`;
  const lines = ['fninit', `fldcw word ptr [${fcwAt}]`, 'xor eax, eax', body];
  lines.push(`mov qword ptr [0x${(base + RAX).toString(16)}], rax`, 'pushfq', `pop qword ptr [0x${(base + FLAGS).toString(16)}]`);
  const env = base + ENV;
  lines.push(`fnstenv [0x${env.toString(16)}]`, 'fnclex', `mov dword ptr [0x${(env + 12).toString(16)}], 0`, `mov word ptr [0x${(env + 16).toString(16)}], 0`);
  for (let r = 0; r < 8; r++) lines.push(`fstp tbyte ptr [0x${(base + REGS + 10 * r).toString(16)}]`);
  return lines.join('\n');
}

function inputData(snippets: readonly Snippet[]): Uint8Array {
  const data = new Uint8Array(snippets.length * SLOT);
  snippets.forEach((s, k) => {
    data.set(s.input, k * SLOT + IN);
    const fcw = s.fcw ?? 0x37f;
    data[k * SLOT + 60] = fcw & 0xff;
    data[k * SLOT + 61] = fcw >> 8;
  });
  return data;
}

function assemble(dir: string, body: string, tail: string, data: Uint8Array, name: string): Buffer {
  const src = ['.intel_syntax noprefix', '.section .buf, "aw"', `.byte ${Array.from(data).join(',')}`, '.text', '.globl _start', '_start:', body, tail].join('\n') + '\n';
  writeFileSync(join(dir, `${name}.s`), src);
  execFileSync('as', ['--64', '-o', join(dir, `${name}.o`), join(dir, `${name}.s`)]);
  execFileSync('ld', ['-static', '-Ttext=0x400000', `--section-start=.buf=0x${DATA.toString(16)}`, '-o', join(dir, name), join(dir, `${name}.o`)]);
  execFileSync('objcopy', ['-O', 'binary', '-j', '.text', join(dir, name), join(dir, `${name}.bin`)]);
  return readFileSync(join(dir, `${name}.bin`));
}

function hostCanRun(): boolean {
  if (process.arch !== 'x64' || process.platform !== 'linux') return false;
  try {
    execFileSync('as', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function record(snippets: readonly Snippet[]): Golden {
  const data = inputData(snippets);
  const body = snippets.map(snippetSource).join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'salty-x87-'));
  try {
    const code = assemble(dir, body, 'int3', data, 'emu');
    const tail = ['mov eax, 1', 'mov edi, 1', `mov rsi, ${DATA}`, `mov edx, ${data.length}`, 'syscall', 'mov eax, 60', 'xor edi, edi', 'syscall'].join('\n');
    assemble(dir, body, tail, data, 'native');
    const res = spawnSync(join(dir, 'native'), { encoding: 'buffer' });
    if (res.signal !== null) throw new Error(`x87 snippet batch died natively: ${res.signal}`);
    return { code: pack(code), data: digest(data), native: pack(res.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let goldens: Record<string, Golden> | undefined;

/** The batch's golden (recorded now when missing or when the snippets changed and the host can run them). */
export function golden(name: string, snippets: readonly Snippet[]): Golden {
  goldens ??= existsSync(GOLDENS) ? (JSON.parse(readFileSync(GOLDENS, 'utf8')) as Record<string, Golden>) : {};
  const data = digest(inputData(snippets));
  const g = goldens[name];
  if (g && g.data === data && (!hostCanRun() || !process.env.X87_RECORD)) return g;
  if (!hostCanRun()) throw new Error(`no golden for x87 batch ${name} and this host cannot record one`);
  const fresh = record(snippets);
  goldens[name] = fresh;
  const keys = Object.keys(goldens).sort();
  writeFileSync(GOLDENS, `{\n${keys.map((k) => ` ${JSON.stringify(k)}: ${JSON.stringify(goldens![k])}`).join(',\n')}\n}\n`);
  return fresh;
}

/** The host's output region as hex. */
export function nativeHex(g: Golden): string {
  return unpack(g.native).toString('hex');
}

/** Runs the batch's code on the emulator; returns its output region as hex, or the trap that stopped it. */
export function emulate(g: Golden, snippets: readonly Snippet[]): string {
  const m = new X86TestMachine();
  m.load(Uint8Array.from(unpack(g.code)));
  const data = inputData(snippets);
  m.phys.writeBytes(DATA, data);
  const t = m.run(50_000_000);
  if (!(t.kind === 'exception' && t.vector === Vector.BP)) return `trap ${t.kind} vector ${t.vector} at 0x${t.insnRip.toString(16)} bytes ${Buffer.from(t.bytes).toString('hex')}`;
  return Buffer.from(m.phys.readBytes(DATA, data.length)).toString('hex');
}

/** A readable account of the first snippet whose output differs. */
export function firstDifference(snippets: readonly Snippet[], native: string, ours: string): string | null {
  if (native === ours) return null;
  if (ours.startsWith('trap')) return ours;
  for (let k = 0; k < snippets.length; k++) {
    const a = native.slice(2 * k * SLOT, 2 * (k + 1) * SLOT);
    const b = ours.slice(2 * k * SLOT, 2 * (k + 1) * SLOT);
    if (a !== b) {
      const field = (h: string) => `scratch ${h.slice(2 * SCRATCH, 2 * ENV)}\n    env ${h.slice(2 * ENV, 2 * FLAGS)}\n    flags ${h.slice(2 * FLAGS, 2 * RAX)} rax ${h.slice(2 * RAX, 2 * REGS)}\n    regs ${h.slice(2 * REGS, 2 * (REGS + 80))}`;
      return `snippet ${k}: ${snippets[k].code.replaceAll('\n', '; ')} fcw ${(snippets[k].fcw ?? 0x37f).toString(16)} input ${Buffer.from(snippets[k].input).toString('hex')}\n  host  ${field(a)}\n  ours  ${field(b)}`;
    }
  }
  return 'outputs differ in length';
}
