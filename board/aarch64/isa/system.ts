// Exception generation and system instructions (Arm ARM C4.1.87): SVC, HVC,
// SMC, BRK, HLT, the hint space, barriers, MSR (immediate), SYS/SYSL
// (cache and TLB maintenance, address translation) and MRS/MSR (register).

import type { Cpu } from '../cpu';
import { zrDst, zrSrc } from '../cpu-state';
import { bit, bits, Encoding, Handler, Op } from '../decoder';
import { Ec, esr, GuestFault, undefinedInstruction } from '../exception-syndrome';
import { addressTranslate } from '../address-translation';
import { toAddress } from '../int64';
import { Access } from '../mmu/types';
import { lookupSysReg, sysRegKey } from '../system-registers';

const SCTLR_UCI = 1 << 26;
const SCTLR_DZE = 1 << 14;
const SCTLR_UMA = 1 << 9;

function undefinedOp(cpu: Cpu, pageOff: number, insn: number): Op {
  return () => {
    cpu.lastUndefined = { pc: cpu.pageVa + pageOff, insn };
    throw undefinedInstruction();
  };
}

// ---- exception generation ----

const svc: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const imm = bits(insn, 20, 5);
  const next = ctx.pageOff + 4;
  return () => cpu.exception(Ec.Svc64, imm, cpu.pageVa + next);
};

const hvc: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const undef = undefinedOp(cpu, ctx.pageOff, insn);
  // No EL2 on this board: HVC reaches the board's firmware (PSCI) when it has one, else it is UNDEFINED.
  return () => {
    if (cpu.el === 0 || cpu.hypervisorCall === undefined || !cpu.hypervisorCall(cpu)) undef();
  };
};

const brk: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const imm = bits(insn, 20, 5);
  return () => {
    throw new GuestFault(esr(Ec.Brk, imm), NaN);
  };
};

const hlt: Handler = (insn, ctx) => {
  ctx.endsBlock = true;
  const cpu = ctx.cpu;
  const imm = bits(insn, 20, 5);
  const undef = undefinedOp(cpu, ctx.pageOff, insn);
  // HLT is UNDEFINED unless the board offers semihosting (HLT #0xF000).
  return () => {
    if (cpu.semihostingCall === undefined || !cpu.semihostingCall(cpu, imm)) undef();
  };
};

// ---- hints, barriers, PSTATE ----

const hint: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const op = bits(insn, 11, 5); // CRm:op2
  if (op === 3) {
    // WFI: the board may skip ahead to the next event. Hosted EL0 code just continues.
    ctx.endsBlock = true;
    return () => {
      if (!cpu.hosted && !cpu.irqLine) cpu.stop = 3; // StopReason.WaitForInterrupt
    };
  }
  if (op === 2) {
    // WFE: a set event register is consumed and the wait ends at once; else the board runs others until an event.
    ctx.endsBlock = true;
    return () => {
      if (cpu.eventRegister) {
        cpu.eventRegister = false;
      } else if (!cpu.hosted && !cpu.irqLine) {
        cpu.waitingForEvent = true;
        cpu.stop = 3; // StopReason.WaitForInterrupt
      }
    };
  }
  if (op === 4) {
    // SEV: every CPU gets the event.
    return () => {
      for (const c of cpu.innerShareable) c.signalEvent();
      // Another CPU may wake: its turn comes after this block (see the board's scheduler).
      if (cpu.innerShareable.length > 1) cpu.stop = 1; // StopReason.Budget
    };
  }
  if (op === 5) {
    return () => {
      cpu.eventRegister = true; // SEVL
    };
  }
  // NOP, YIELD, ESB, PSB, TSB, CSDB, BTI and the pointer-authentication
  // hints: this CPU implements none of PAuth or BTI, so they have no effect.
  return () => {};
};

const barrier: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const op2 = bits(insn, 7, 5);
  if (op2 === 2) return () => cpu.clearExclusive(); // CLREX
  if (op2 === 4 || op2 === 5) return () => {}; // DSB, DMB: one in-order CPU sees its own accesses in order
  if (op2 === 6 || op2 === 7) {
    ctx.endsBlock = true; // ISB, SB: later instructions are fetched anew
    return () => {};
  }
  return null;
};

const msrImmediate: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  const op1 = bits(insn, 18, 16);
  const op2 = bits(insn, 7, 5);
  const crm = bits(insn, 11, 8);
  const undef = undefinedOp(cpu, ctx.pageOff, insn);
  ctx.endsBlock = true;
  if (op1 === 0 && op2 === 5) {
    return () => {
      if (cpu.el === 0) undef();
      cpu.setSpSel(crm & 1);
    };
  }
  if (op1 === 3 && (op2 === 6 || op2 === 7)) {
    const bitsMask = (crm & 0xf) << 6;
    const set = op2 === 6;
    return () => {
      if (cpu.el === 0 && (cpu.sctlrLo & SCTLR_UMA) === 0) undef();
      cpu.daif = set ? cpu.daif | bitsMask : cpu.daif & ~bitsMask;
    };
  }
  return null;
};

// ---- SYS: cache maintenance, TLB maintenance, address translation ----

const sys: Handler = (insn, ctx) => {
  const cpu = ctx.cpu;
  if (bit(insn, 21) === 1) return null; // SYSL: nothing is implemented there
  const op1 = bits(insn, 18, 16);
  const crn = bits(insn, 15, 12);
  const crm = bits(insn, 11, 8);
  const op2 = bits(insn, 7, 5);
  const t = 2 * zrSrc(bits(insn, 4, 0));
  const x = cpu.x;
  const undef = undefinedOp(cpu, ctx.pageOff, insn);
  const el1Only = (op: Op): Op => () => {
    if (cpu.el === 0) undef();
    op();
  };
  if (op1 === 3 && crn === 7) {
    if (crm === 4 && op2 === 1) {
      const zeros = new Int32Array(2);
      return () => {
        if (cpu.el === 0 && !cpu.hosted && (cpu.sctlrLo & SCTLR_DZE) === 0) undef();
        const base = toAddress(x[t], x[t + 1]);
        const start = base - (base & 63);
        for (let i = 0; i < 64; i += 8) cpu.vm.write64(start + i, zeros, 0);
      };
    }
    // IC IVAU, DC CVAC, DC CVAU, DC CIVAC, DC CVAP, DC CVADP: caches are coherent here.
    if ((crm === 5 || crm === 10 || crm === 11 || crm === 12 || crm === 13 || crm === 14) && op2 === 1) {
      return () => {
        if (cpu.el === 0 && !cpu.hosted && (cpu.sctlrLo & SCTLR_UCI) === 0) undef();
      };
    }
    return null;
  }
  if (op1 !== 0) return null;
  if (crn === 7 && ((crm === 5 && op2 === 0) || (crm === 1 && op2 === 0))) return el1Only(() => {}); // IC IALLU(IS)
  if (crn === 7 && ((crm === 6 && (op2 === 1 || op2 === 2)) || (crm === 10 && op2 === 2) || (crm === 14 && op2 === 2))) {
    return el1Only(() => {}); // DC IVAC / ISW / CSW / CISW
  }
  if (crn === 7 && crm === 8 && op2 <= 3) {
    ctx.endsBlock = true;
    const acc = op2 & 1 ? Access.Write : Access.Read;
    const el = op2 >= 2 ? 0 : 1;
    return el1Only(() => addressTranslate(cpu, toAddress(x[t], x[t + 1]), acc, el));
  }
  if (crn === 8 && (crm === 3 || crm === 7)) {
    ctx.endsBlock = true;
    // The IS forms (CRm = 3) reach every CPU of the inner shareable domain.
    const broadcast = crm === 3;
    const each = (op: (c: Cpu) => void): Op =>
      el1Only(() => {
        if (!broadcast) op(cpu);
        else for (const c of cpu.innerShareable) op(c);
      });
    switch (op2) {
      case 0:
        return each((c) => c.vm.flushAll()); // VMALLE1(IS)
      case 2:
        return each((c) => c.vm.flushAsid(x[t + 1] >>> 16)); // ASIDE1(IS)
      case 1:
      case 3:
      case 5:
      case 7:
        // VAE1, VAAE1, VALE1, VAALE1 (IS): Xt[43:0] is VA[55:12]
        return each((c) => c.vm.flushVa((x[t] >>> 0) * 4096)); // the TLB index needs only VA[..:12]
    }
  }
  return null;
};

// ---- MRS / MSR (register) ----

function sysRegAccess(isRead: boolean): Handler {
  return (insn, ctx) => {
    const cpu = ctx.cpu;
    const op0 = 2 | bit(insn, 19);
    const op1 = bits(insn, 18, 16);
    const crn = bits(insn, 15, 12);
    const crm = bits(insn, 11, 8);
    const op2 = bits(insn, 7, 5);
    const rt = bits(insn, 4, 0);
    const def = lookupSysReg(sysRegKey(op0, op1, crn, crm, op2));
    const undef = undefinedOp(cpu, ctx.pageOff, insn);
    if (def === undefined || (!isRead && def.write === undefined) || (isRead && def.writeOnly)) return undef;
    const x = cpu.x;
    // EL0 access to an identification register traps to EL1 (FEAT_IDST); others are UNDEFINED.
    const idSpace = op0 === 3 && op1 === 0 && crn === 0;
    const trapIss = (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (isRead ? 1 : 0);
    const el0 = def.el0;
    const denied = (): void => {
      if (idSpace || def.el0Trap) throw new GuestFault(esr(Ec.SysRegTrap, trapIss), NaN);
      undef();
    };
    const el0WriteForbidden = !isRead && (def.name === 'TPIDRRO_EL0' || def.el0ReadOnly === true);
    let check =
      typeof el0 === 'function'
        ? () => {
            if (cpu.el === 0 && !el0(cpu)) denied();
          }
        : () => {
            if (cpu.el === 0 && (!el0 || el0WriteForbidden)) denied();
          };
    if (el0WriteForbidden && typeof el0 === 'function') {
      const allowed = check;
      check = () => {
        if (cpu.el === 0) denied();
        allowed();
      };
    }
    if (isRead) {
      if (def.readEndsBlock) ctx.endsBlock = true;
      const d = 2 * zrDst(rt);
      const read = def.read;
      return () => {
        check();
        read(cpu);
        x[d] = cpu.sysLo;
        x[d + 1] = cpu.sysHi;
      };
    }
    if (def.endsBlock) ctx.endsBlock = true;
    const s = 2 * zrSrc(rt);
    const write = def.write!;
    return () => {
      check();
      write(cpu, x[s], x[s + 1]);
    };
  };
}

export const system: Encoding[] = [
  { name: 'SVC', pattern: '11010100 000 xxxxxxxxxxxxxxxx 000 01', handler: svc },
  { name: 'HVC', pattern: '11010100 000 xxxxxxxxxxxxxxxx 000 10', handler: hvc },
  { name: 'SMC', pattern: '11010100 000 xxxxxxxxxxxxxxxx 000 11', handler: (i, c) => undefinedOp(c.cpu, c.pageOff, i) },
  { name: 'BRK', pattern: '11010100 001 xxxxxxxxxxxxxxxx 000 00', handler: brk },
  { name: 'HLT', pattern: '11010100 010 xxxxxxxxxxxxxxxx 000 00', handler: hlt },
  { name: 'HINT', pattern: '1101010100 0 00 011 0010 xxxx xxx 11111', handler: hint },
  { name: 'CLREX/DSB/DMB/ISB/SB', pattern: '1101010100 0 00 011 0011 xxxx xxx 11111', handler: barrier },
  { name: 'MSR (immediate)', pattern: '1101010100 0 00 xxx 0100 xxxx xxx 11111', handler: msrImmediate },
  { name: 'SYS/SYSL', pattern: '1101010100 x 01 xxx xxxx xxxx xxx xxxxx', handler: sys },
  { name: 'MSR (register)', pattern: '1101010100 0 1 x xxx xxxx xxxx xxx xxxxx', handler: sysRegAccess(false) },
  { name: 'MRS', pattern: '1101010100 1 1 x xxx xxxx xxxx xxx xxxxx', handler: sysRegAccess(true) },
];
