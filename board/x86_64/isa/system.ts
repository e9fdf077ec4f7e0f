// System and miscellaneous: the NOP and hint space, ENDBR64, PAUSE, fences,
// CPUID, RDTSC, SYSCALL, INT3/INT n/INT1, UD2 (by its absence: no row), HLT,
// CLI/STI, IN/OUT, flag instructions (CLC..STD, LAHF/SAHF), and the CPL0-only
// instructions (MOV to/from CR, RDMSR/WRMSR, INVLPG, SWAPGS), which raise
// #GP(0) at CPL3 as Linux reports them.

import type { X86Cpu } from '../cpu';
import { StopReason } from '../cpu';
import { Misc, RAX, RCX, RDX } from '../cpu-state';
import type { X86Insn, X86Op, X86Row } from '../decoder';
import { AF, CF, getArithFlags, OF, PF, RFLAGS_DF, RFLAGS_IF, setArithFlags, SF, ZF } from '../flags';
import { effectiveAddress, regAddr } from '../operands';
import { generalProtection, Vector, X86Fault } from '../x86-fault';

const nop = (): X86Op => () => {};

/** CPL3 gets #GP(0); at CPL0 the op runs. */
function privileged(make: (i: X86Insn, cpu: X86Cpu) => X86Op) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    i.endsBlock = true;
    const op = make(i, cpu);
    return () => {
      if (cpu.cpl !== 0) throw generalProtection(0);
      op();
    };
  };
}

function trap(vector: number) {
  return (i: X86Insn): X86Op => {
    i.endsBlock = true;
    return () => {
      throw new X86Fault(vector, 0, NaN, true);
    };
  };
}

/** INT n: Linux's IDT lets CPL3 reach vectors 3, 4 and 0x80; any other gate is #GP(vector * 8 + 2). */
const intN = (i: X86Insn): X86Op => {
  i.endsBlock = true;
  const n = i.imm & 0xff;
  return () => {
    if (n === 3 || n === 4 || n === 0x80) throw new X86Fault(n, 0, NaN, true);
    throw generalProtection(n * 8 + 2);
  };
};

const cpuidOp = (_i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  return () => {
    const [a, b, c, d] = cpu.cpuid(r[2 * RAX], r[2 * RCX]);
    r[0] = a; r[1] = 0;
    r[6] = b; r[7] = 0;
    r[2] = c; r[3] = 0;
    r[4] = d; r[5] = 0;
  };
};

const rdtsc = (i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const before = i.indexInBlock;
  return () => {
    // The retired count moves once per block: count the instructions of this block before RDTSC.
    const saved = cpu.retired;
    cpu.retired += before;
    cpu.timer.readTsc(cpu);
    cpu.retired = saved;
    r[0] = cpu.tscLo; r[1] = 0;
    r[2 * RDX] = cpu.tscHi; r[2 * RDX + 1] = 0;
  };
};

const syscall = (i: X86Insn, cpu: X86Cpu): X86Op => {
  i.endsBlock = true;
  const next = i.nextOff;
  return () => cpu.syscall(cpu.pageVa + next);
};

const hlt = privileged((_i, cpu) => () => {
  cpu.stop = StopReason.WaitForInterrupt;
});

function setOther(bit: number, on: boolean) {
  return (i: X86Insn, cpu: X86Cpu): X86Op => {
    const misc = cpu.misc;
    if (bit === RFLAGS_IF) {
      return privileged(() => on ? () => { misc[Misc.FlagsOther] |= bit; } : () => { misc[Misc.FlagsOther] &= ~bit; })(i, cpu);
    }
    return on ? () => { misc[Misc.FlagsOther] |= bit; } : () => { misc[Misc.FlagsOther] &= ~bit; };
  };
}

function carry(how: 'clear' | 'set' | 'complement') {
  return (_i: X86Insn, cpu: X86Cpu): X86Op => {
    const lz = cpu.lz;
    return () => {
      const f = getArithFlags(lz);
      setArithFlags(lz, how === 'clear' ? f & ~CF : how === 'set' ? f | CF : f ^ CF);
    };
  };
}

/** LAHF: AH = SF:ZF:0:AF:0:PF:1:CF. */
const lahf = (_i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const lz = cpu.lz;
  return () => {
    const ah = (getArithFlags(lz) & (SF | ZF | AF | PF | CF)) | 2;
    r[0] = (r[0] & ~0xff00) | (ah << 8);
  };
};

/** SAHF: SF, ZF, AF, PF, CF from AH; OF unchanged. */
const sahf = (_i: X86Insn, cpu: X86Cpu): X86Op => {
  const r = cpu.r;
  const lz = cpu.lz;
  return () => {
    const ah = (r[0] >> 8) & (SF | ZF | AF | PF | CF);
    setArithFlags(lz, (getArithFlags(lz) & OF) | ah);
  };
};

/** IRETQ at the same privilege (the only return a CPL3 program can make): pops RIP, CS, RFLAGS, RSP, SS. */
const iretq = (i: X86Insn, cpu: X86Cpu): X86Op | null => {
  if (!i.rexW) return null;
  i.endsBlock = true;
  i.stack = true;
  const r = cpu.r;
  const t = cpu.t;
  return () => {
    const sp = regAddr(r, 4);
    const words: number[][] = [];
    for (let k = 0; k < 5; k++) {
      cpu.mem.read64(sp + 8 * k, t, 0);
      words.push([t[0], t[1]]);
    }
    const rip = words[0][1] * 4294967296 + (words[0][0] >>> 0);
    if (!(rip >= -(2 ** 47) && rip < 2 ** 47)) throw generalProtection(0);
    const old = cpu.getRflags();
    const keep = cpu.cpl === 3 ? 0x3200 | 0x1b0000 : 0x1b0000;
    cpu.setRflags((words[2][0] & ~keep) | (old & keep));
    r[8] = words[3][0];
    r[9] = words[3][1];
    cpu.rip = rip;
  };
};

// ---- CPL0 only ----

const movFromCr = privileged((i, cpu) => {
  const r = cpu.r;
  const n = 2 * i.rm;
  const cr = i.reg;
  return () => {
    let lo = 0;
    let hi = 0;
    if (cr === 0) lo = cpu.cr0 | 0;
    else if (cr === 2) { lo = cpu.cr2 | 0; hi = Math.floor(cpu.cr2 / 4294967296) | 0; }
    else if (cr === 3) [lo, hi] = cpu.cr3;
    else if (cr === 4) lo = cpu.cr4 | 0;
    else throw new X86Fault(Vector.UD);
    r[n] = lo;
    r[n + 1] = hi;
  };
});

const movToCr = privileged((i, cpu) => {
  const r = cpu.r;
  const n = 2 * i.rm;
  const cr = i.reg;
  return () => {
    if (cr === 0) cpu.setCr0(r[n]);
    else if (cr === 2) cpu.mem.cr2 = r[n + 1] * 4294967296 + (r[n] >>> 0);
    else if (cr === 3) cpu.setCr3(r[n], r[n + 1]);
    else if (cr === 4) cpu.setCr4(r[n]);
    else throw new X86Fault(Vector.UD);
  };
});

const MSR_EFER = 0xc0000080;
const MSR_FS_BASE = 0xc0000100;
const MSR_GS_BASE = 0xc0000101;
const MSR_KERNEL_GS_BASE = 0xc0000102;

const rdmsr = privileged((_i, cpu) => {
  const r = cpu.r;
  const misc = cpu.misc;
  return () => {
    const msr = r[2 * RCX] >>> 0;
    let v: [number, number];
    if (msr === MSR_EFER) v = [cpu.efer, 0];
    else if (msr === MSR_FS_BASE) v = [misc[Misc.FsBaseLo], misc[Misc.FsBaseHi]];
    else if (msr === MSR_GS_BASE) v = [misc[Misc.GsBaseLo], misc[Misc.GsBaseHi]];
    else v = cpu.msrs.get(msr) ?? [0, 0];
    r[0] = v[0]; r[1] = 0;
    r[4] = v[1]; r[5] = 0;
  };
});

const wrmsr = privileged((_i, cpu) => {
  const r = cpu.r;
  const misc = cpu.misc;
  return () => {
    const msr = r[2 * RCX] >>> 0;
    const lo = r[0];
    const hi = r[4];
    if (msr === MSR_EFER) cpu.setEfer(lo);
    else if (msr === MSR_FS_BASE) { misc[Misc.FsBaseLo] = lo; misc[Misc.FsBaseHi] = hi; }
    else if (msr === MSR_GS_BASE) { misc[Misc.GsBaseLo] = lo; misc[Misc.GsBaseHi] = hi; }
    else cpu.msrs.set(msr, [lo, hi]);
  };
});

const swapgs = privileged((_i, cpu) => {
  const misc = cpu.misc;
  return () => {
    const k = cpu.msrs.get(MSR_KERNEL_GS_BASE) ?? [0, 0];
    cpu.msrs.set(MSR_KERNEL_GS_BASE, [misc[Misc.GsBaseLo], misc[Misc.GsBaseHi]]);
    misc[Misc.GsBaseLo] = k[0];
    misc[Misc.GsBaseHi] = k[1];
  };
});

const invlpg = privileged((i, cpu) => {
  const ea = effectiveAddress(i, cpu);
  return () => cpu.flushPage(ea());
});

const gp = privileged(() => () => {});

export const systemRows: X86Row[] = [
  { name: 'PAUSE', enc: 'F3 90', handler: nop },
  { name: 'NOP Ev (hint space)', enc: '0F 18+r /r', handler: nop },
  { name: 'PREFETCHW', enc: '0F 0D /r', handler: nop },
  { name: 'LFENCE', enc: 'NP 0F AE /5 reg', handler: nop },
  { name: 'MFENCE', enc: 'NP 0F AE /6 reg', handler: nop },
  { name: 'SFENCE', enc: 'NP 0F AE /7 reg', handler: nop },
  { name: 'CLFLUSH M', enc: 'NP 0F AE /7 mem', handler: nop },
  { name: 'CPUID', enc: '0F A2', handler: cpuidOp },
  { name: 'RDTSC', enc: '0F 31', handler: rdtsc },
  { name: 'SYSCALL', enc: '0F 05', handler: syscall },
  { name: 'INT3', enc: 'CC', handler: trap(Vector.BP) },
  { name: 'INT1', enc: 'F1', handler: trap(Vector.DB) },
  { name: 'INT Ib', enc: 'CD ib', handler: intN },
  { name: 'IRETQ', enc: 'CF', handler: iretq },
  { name: 'HLT', enc: 'F4', handler: hlt },
  { name: 'CLI', enc: 'FA', handler: setOther(RFLAGS_IF, false) },
  { name: 'STI', enc: 'FB', handler: setOther(RFLAGS_IF, true) },
  { name: 'CLD', enc: 'FC', handler: setOther(RFLAGS_DF, false) },
  { name: 'STD', enc: 'FD', handler: setOther(RFLAGS_DF, true) },
  { name: 'CLC', enc: 'F8', handler: carry('clear') },
  { name: 'STC', enc: 'F9', handler: carry('set') },
  { name: 'CMC', enc: 'F5', handler: carry('complement') },
  { name: 'LAHF', enc: '9F', handler: lahf },
  { name: 'SAHF', enc: '9E', handler: sahf },
  { name: 'IN AL,Ib', enc: 'E4 ib', handler: gp },
  { name: 'IN eAX,Ib', enc: 'E5 ib', handler: gp },
  { name: 'OUT Ib,AL', enc: 'E6 ib', handler: gp },
  { name: 'OUT Ib,eAX', enc: 'E7 ib', handler: gp },
  { name: 'IN AL,DX', enc: 'EC', handler: gp },
  { name: 'IN eAX,DX', enc: 'ED', handler: gp },
  { name: 'OUT DX,AL', enc: 'EE', handler: gp },
  { name: 'OUT DX,eAX', enc: 'EF', handler: gp },
  { name: 'INS', enc: '6C', handler: gp },
  { name: 'INS', enc: '6D', handler: gp },
  { name: 'OUTS', enc: '6E', handler: gp },
  { name: 'OUTS', enc: '6F', handler: gp },
  { name: 'MOV Rq,Cr', enc: '0F 20 /r anymod', handler: movFromCr },
  { name: 'MOV Cr,Rq', enc: '0F 22 /r anymod', handler: movToCr },
  { name: 'RDMSR', enc: '0F 32', handler: rdmsr },
  { name: 'WRMSR', enc: '0F 30', handler: wrmsr },
  { name: 'SWAPGS', enc: '0F 01 F8', handler: swapgs },
  { name: 'INVLPG M', enc: '0F 01 /7 mem', handler: invlpg },
  { name: 'WBINVD', enc: '0F 09', handler: gp },
  { name: 'RDPMC', enc: '0F 33', handler: gp },
  { name: 'INVD', enc: '0F 08', handler: gp },
  { name: 'CLTS', enc: '0F 06', handler: gp },
  { name: 'SYSRET', enc: '0F 07', handler: gp },
];
