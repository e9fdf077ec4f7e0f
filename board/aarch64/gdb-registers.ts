// The A64 registers as gdb's remote protocol numbers them, and the target
// description that names them: the core feature (x0-x30, sp, pc, cpsr), the
// FP/AdvSIMD feature (v0-v31 as vectors, fpsr, fpcr) and, for a whole
// machine, the EL1 system registers under the names qemu-system gives them.
// Values travel as little-endian bytes.

import type { Cpu } from './cpu';
import { lookupSysReg, sysRegKey } from './system-registers';

export const GDB_SP = 31;
export const GDB_PC = 32;
export const GDB_CPSR = 33;
export const GDB_V0 = 34;
export const GDB_FPSR = 66;
export const GDB_FPCR = 67;
/** Registers in a 'g' packet: the core and FP features. */
export const GDB_G_COUNT = 68;

/** Bytes of register n among the first GDB_G_COUNT. */
export function gdbRegisterSize(n: number): number {
  if (n < GDB_CPSR) return 8;
  if (n === GDB_CPSR || n === GDB_FPSR || n === GDB_FPCR) return 4;
  return 16;
}

/** The state gdb's core and FP registers live in: a thread's saved context or the CPU. */
export interface A64Registers {
  /** X0-X30 and the stack pointer as int32 halves (64 words). */
  readonly x: Int32Array;
  /** V0-V31, 16 bytes each. */
  readonly v: Uint8Array;
  pc: number;
  cpsr: number;
  fpsr: number;
  fpcr: number;
}

const TWO32 = 4294967296;

function put64(out: Uint8Array, at: number, value: number): void {
  const dv = new DataView(out.buffer, out.byteOffset);
  dv.setUint32(at, value % TWO32 >>> 0, true);
  dv.setUint32(at + 4, Math.floor(value / TWO32) >>> 0, true);
}

function get64(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const hi = dv.getUint32(4, true);
  // Addresses are signed-canonical numbers: the top half sign-extends.
  return (hi | 0) * TWO32 + dv.getUint32(0, true);
}

export function readGdbRegister(r: A64Registers, n: number): Uint8Array | undefined {
  if (n < 0 || n >= GDB_G_COUNT) return undefined;
  const out = new Uint8Array(gdbRegisterSize(n));
  const dv = new DataView(out.buffer);
  if (n <= GDB_SP) {
    dv.setInt32(0, r.x[2 * n], true);
    dv.setInt32(4, r.x[2 * n + 1], true);
  } else if (n === GDB_PC) put64(out, 0, r.pc);
  else if (n === GDB_CPSR) dv.setUint32(0, r.cpsr >>> 0, true);
  else if (n === GDB_FPSR) dv.setUint32(0, r.fpsr >>> 0, true);
  else if (n === GDB_FPCR) dv.setUint32(0, r.fpcr >>> 0, true);
  else out.set(r.v.subarray((n - GDB_V0) * 16, (n - GDB_V0) * 16 + 16));
  return out;
}

/** Writes register n from its bytes; false for a register or size gdb may not write. */
export function writeGdbRegister(r: A64Registers, n: number, bytes: Uint8Array): boolean {
  if (n < 0 || n >= GDB_G_COUNT || bytes.length !== gdbRegisterSize(n)) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (n <= GDB_SP) {
    r.x[2 * n] = dv.getInt32(0, true);
    r.x[2 * n + 1] = dv.getInt32(4, true);
  } else if (n === GDB_PC) r.pc = get64(bytes);
  else if (n === GDB_CPSR) r.cpsr = dv.getUint32(0, true);
  else if (n === GDB_FPSR) r.fpsr = dv.getUint32(0, true);
  else if (n === GDB_FPCR) r.fpcr = dv.getUint32(0, true);
  else r.v.set(bytes, (n - GDB_V0) * 16);
  return true;
}

// ---- the target description ----

const reg = (name: string, bits: number, type: string, num?: number, group?: string) =>
  `<reg name="${name}" bitsize="${bits}" type="${type}"${num === undefined ? '' : ` regnum="${num}"`}${group === undefined ? '' : ` group="${group}"`}/>`;

function coreFeature(): string {
  const regs: string[] = [];
  for (let i = 0; i <= 30; i++) regs.push(reg(`x${i}`, 64, 'int', i === 0 ? 0 : undefined));
  regs.push(reg('sp', 64, 'data_ptr'), reg('pc', 64, 'code_ptr'), reg('cpsr', 32, 'int'));
  return `<?xml version="1.0"?>\n<!DOCTYPE feature SYSTEM "gdb-target.dtd">\n<feature name="org.gnu.gdb.aarch64.core">\n${regs.join('\n')}\n</feature>\n`;
}

/** The vector view gdb prints for v0-v31: a union of lane arrays (d, s, h, b, q). */
function fpFeature(): string {
  const vec = (id: string, type: string, count: number) => `<vector id="${id}" type="${type}" count="${count}"/>`;
  const union = (id: string, fields: [string, string][]) => `<union id="${id}">${fields.map(([n, t]) => `<field name="${n}" type="${t}"/>`).join('')}</union>`;
  const types = [
    vec('v2d', 'ieee_double', 2),
    vec('v2u', 'uint64', 2),
    vec('v2i', 'int64', 2),
    vec('v4f', 'ieee_single', 4),
    vec('v4u', 'uint32', 4),
    vec('v4i', 'int32', 4),
    vec('v8u', 'uint16', 8),
    vec('v8i', 'int16', 8),
    vec('v16u', 'uint8', 16),
    vec('v16i', 'int8', 16),
    vec('v1u', 'uint128', 1),
    vec('v1i', 'int128', 1),
    union('vnd', [['f', 'v2d'], ['u', 'v2u'], ['s', 'v2i']]),
    union('vns', [['f', 'v4f'], ['u', 'v4u'], ['s', 'v4i']]),
    union('vnh', [['u', 'v8u'], ['s', 'v8i']]),
    union('vnb', [['u', 'v16u'], ['s', 'v16i']]),
    union('vnq', [['u', 'v1u'], ['s', 'v1i']]),
    union('aarch64v', [['d', 'vnd'], ['s', 'vns'], ['h', 'vnh'], ['b', 'vnb'], ['q', 'vnq']]),
  ];
  const regs: string[] = [];
  for (let i = 0; i < 32; i++) regs.push(reg(`v${i}`, 128, 'aarch64v', i === 0 ? GDB_V0 : undefined));
  regs.push(reg('fpsr', 32, 'int'), reg('fpcr', 32, 'int'));
  return `<?xml version="1.0"?>\n<!DOCTYPE feature SYSTEM "gdb-target.dtd">\n<feature name="org.gnu.gdb.aarch64.fpu">\n${types.join('\n')}\n${regs.join('\n')}\n</feature>\n`;
}

/**
 * EL1 system registers a whole machine shows, named as qemu-system-aarch64
 * names them, with their MRS encodings (op0, op1, CRn, CRm, op2).
 */
const SYSTEM_REGISTERS: readonly (readonly [string, number, number, number, number, number])[] = [
  ['SCTLR', 3, 0, 1, 0, 0],
  ['ACTLR_EL1', 3, 0, 1, 0, 1],
  ['CPACR', 3, 0, 1, 0, 2],
  ['TTBR0_EL1', 3, 0, 2, 0, 0],
  ['TTBR1_EL1', 3, 0, 2, 0, 1],
  ['TCR_EL1', 3, 0, 2, 0, 2],
  ['SPSR_EL1', 3, 0, 4, 0, 0],
  ['ELR_EL1', 3, 0, 4, 0, 1],
  ['SP_EL0', 3, 0, 4, 1, 0],
  ['AFSR0_EL1', 3, 0, 5, 1, 0],
  ['AFSR1_EL1', 3, 0, 5, 1, 1],
  ['ESR_EL1', 3, 0, 5, 2, 0],
  ['FAR_EL1', 3, 0, 6, 0, 0],
  ['PAR_EL1', 3, 0, 7, 4, 0],
  ['MAIR_EL1', 3, 0, 10, 2, 0],
  ['VBAR', 3, 0, 12, 0, 0],
  ['CONTEXTIDR_EL1', 3, 0, 13, 0, 1],
  ['TPIDR_EL1', 3, 0, 13, 0, 4],
  ['CNTKCTL', 3, 0, 14, 1, 0],
  ['MDSCR_EL1', 2, 0, 0, 2, 2],
  ['TPIDR_EL0', 3, 3, 13, 0, 2],
  ['TPIDRRO_EL0', 3, 3, 13, 0, 3],
  ['CNTFRQ_EL0', 3, 3, 14, 0, 0],
  ['CNTV_CTL_EL0', 3, 3, 14, 3, 1],
  ['CNTV_CVAL_EL0', 3, 3, 14, 3, 2],
];

/** The first system register's number, after the core and FP ones. */
export const GDB_SYSREG_BASE = GDB_G_COUNT;

function systemFeature(): string {
  const regs = SYSTEM_REGISTERS.map(([name], i) => reg(name, 64, 'uint64', GDB_SYSREG_BASE + i, 'system'));
  return `<?xml version="1.0"?>\n<!DOCTYPE feature SYSTEM "gdb-target.dtd">\n<feature name="org.qemu.gdb.arm.sys.regs">\n${regs.join('\n')}\n</feature>\n`;
}

/** The documents of the target description by annex name: target.xml includes the others. */
export function a64TargetDescription(withSystemRegisters: boolean): Map<string, string> {
  const files = ['aarch64-core.xml', 'aarch64-fpu.xml', ...(withSystemRegisters ? ['system-registers.xml'] : [])];
  const target =
    `<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target>\n<architecture>aarch64</architecture>\n` +
    files.map((f) => `<xi:include href="${f}"/>`).join('\n') +
    '\n</target>\n';
  const docs = new Map([
    ['target.xml', target],
    ['aarch64-core.xml', coreFeature()],
    ['aarch64-fpu.xml', fpFeature()],
  ]);
  if (withSystemRegisters) docs.set('system-registers.xml', systemFeature());
  return docs;
}

// ---- a whole CPU (system mode) ----

/** The CPU's registers in gdb's core/FP layout (writes to cpsr change only NZCV and DAIF). */
export function cpuRegisters(cpu: Cpu): A64Registers {
  return {
    x: cpu.x.subarray(0, 64),
    v: cpu.state.vb,
    get pc() {
      return cpu.pc;
    },
    set pc(v: number) {
      cpu.pc = v;
    },
    get cpsr() {
      return cpu.pstateBits();
    },
    set cpsr(v: number) {
      cpu.state.nzcv = v & 0xf0000000;
      cpu.daif = v & 0x3c0;
    },
    get fpsr() {
      return cpu.fpsr;
    },
    set fpsr(v: number) {
      cpu.fpsr = v >>> 0;
    },
    get fpcr() {
      return cpu.fpcr;
    },
    set fpcr(v: number) {
      cpu.setFpcr(v);
    },
  };
}

/** Register n of a whole CPU: core, FP, then the system registers. */
export function readCpuRegister(cpu: Cpu, n: number): Uint8Array | undefined {
  if (n < GDB_G_COUNT) return readGdbRegister(cpuRegisters(cpu), n);
  const s = SYSTEM_REGISTERS[n - GDB_SYSREG_BASE];
  if (s === undefined) return undefined;
  const out = new Uint8Array(8);
  const def = lookupSysReg(sysRegKey(s[1], s[2], s[3], s[4], s[5]));
  if (def !== undefined && !def.writeOnly) {
    def.read(cpu);
    const dv = new DataView(out.buffer);
    dv.setInt32(0, cpu.sysLo, true);
    dv.setInt32(4, cpu.sysHi, true);
  }
  return out;
}

export function writeCpuRegister(cpu: Cpu, n: number, bytes: Uint8Array): boolean {
  if (n < GDB_G_COUNT) return writeGdbRegister(cpuRegisters(cpu), n, bytes);
  const s = SYSTEM_REGISTERS[n - GDB_SYSREG_BASE];
  const def = s === undefined ? undefined : lookupSysReg(sysRegKey(s[1], s[2], s[3], s[4], s[5]));
  if (def?.write === undefined || bytes.length !== 8) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 8);
  def.write(cpu, dv.getInt32(0, true), dv.getInt32(4, true));
  return true;
}

export const GDB_CPU_REGISTER_COUNT = GDB_SYSREG_BASE + SYSTEM_REGISTERS.length;
