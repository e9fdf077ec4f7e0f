// x86 exceptions as the instruction handlers raise them. Thrown, not
// returned (the memory fast paths stay branch-free), and deliberately not an
// Error: capturing a stack trace on every page fault is slow.

export const enum Vector {
  DE = 0,
  DB = 1,
  BP = 3,
  UD = 6,
  NM = 7,
  SS = 12,
  GP = 13,
  PF = 14,
  MF = 16,
  AC = 17,
  XM = 19,
}

export class X86Fault {
  constructor(
    readonly vector: number,
    /** The error code pushed with #GP/#SS/#PF (0 for the others). */
    readonly errorCode = 0,
    /** The faulting linear address for #PF, NaN otherwise. */
    readonly cr2 = NaN,
    /** A trap (INT3, INT n): the saved RIP is the next instruction, not this one. */
    readonly trap = false,
    /** A #GP raised for a non-canonical address: becomes #SS for stack references. */
    readonly nonCanonical = false,
  ) {}
}

export function undefinedOpcode(): X86Fault {
  return new X86Fault(Vector.UD);
}

export function generalProtection(code = 0): X86Fault {
  return new X86Fault(Vector.GP, code);
}

export function divideError(): X86Fault {
  return new X86Fault(Vector.DE);
}

export function nonCanonical(): X86Fault {
  return new X86Fault(Vector.GP, 0, NaN, false, true);
}

export function pageFault(errorCode: number, cr2: number): X86Fault {
  return new X86Fault(Vector.PF, errorCode, cr2);
}

/** The x87 floating-point error (#MF): raised by the next waiting x87 instruction when FSW.ES is set. */
export function x87Error(): X86Fault {
  return new X86Fault(Vector.MF);
}

/** The SIMD floating-point exception (#XM): an unmasked MXCSR exception (CR4.OSXMMEXCPT is always set here). */
export function simdError(): X86Fault {
  return new X86Fault(Vector.XM);
}
