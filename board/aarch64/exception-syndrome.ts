// Exception classes and syndrome encodings of ESR_ELx (Arm ARM D17.2.37).

export const enum Ec {
  Unknown = 0x00,
  WfiWfe = 0x01,
  FpAccess = 0x07,
  IllegalState = 0x0e,
  Svc64 = 0x15,
  Hvc64 = 0x16,
  Smc64 = 0x17,
  SysRegTrap = 0x18,
  InsnAbortLower = 0x20,
  InsnAbortSame = 0x21,
  PcAlignment = 0x22,
  DataAbortLower = 0x24,
  DataAbortSame = 0x25,
  SpAlignment = 0x26,
  FpException = 0x2c,
  SError = 0x2f,
  Brk = 0x3c,
}

/** Fault status codes (DFSC/IFSC); the translation-level kinds add the level (0..3). */
export const enum Fsc {
  AddressSize = 0x00,
  Translation = 0x04,
  AccessFlag = 0x08,
  Permission = 0x0c,
  SyncExternal = 0x10,
  SyncExternalOnWalk = 0x14,
  Alignment = 0x21,
}

export function esr(ec: number, iss: number, il = 1): number {
  return ((ec << 26) | (il << 25) | (iss & 0x1ffffff)) >>> 0;
}

/**
 * A synchronous exception raised while an instruction executes (an abort, an
 * UNDEFINED encoding, an alignment fault). Thrown, not returned, so the memory
 * fast paths stay branch-free; deliberately not an Error, whose stack capture is slow.
 */
export class GuestFault {
  constructor(
    readonly esr: number,
    /** Faulting virtual address for aborts (signed-canonical number), otherwise NaN. */
    readonly far: number,
  ) {}

  get ec(): number {
    return this.esr >>> 26;
  }
}

export function dataAbort(fromLowerEl: boolean, fsc: number, write: boolean, far: number): GuestFault {
  const iss = (write ? 1 << 6 : 0) | fsc;
  return new GuestFault(esr(fromLowerEl ? Ec.DataAbortLower : Ec.DataAbortSame, iss), far);
}

export function instructionAbort(fromLowerEl: boolean, fsc: number, far: number): GuestFault {
  return new GuestFault(esr(fromLowerEl ? Ec.InsnAbortLower : Ec.InsnAbortSame, fsc), far);
}

export function undefinedInstruction(): GuestFault {
  return new GuestFault(esr(Ec.Unknown, 0), NaN);
}
