/** Auxiliary-vector entry types (Linux include/uapi/linux/auxvec.h numbering). */
export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_EXECFN = 31;
export const AT_SYSINFO_EHDR = 33;

/** aarch64 AT_HWCAP bits the board's CPU provides: HWCAP_FP | HWCAP_ASIMD. */
export const AARCH64_HWCAP_FP_ASIMD = 0x3;

/**
 * The auxv values a caller chooses. AT_RANDOM, AT_EXECFN and AT_PLATFORM are
 * not here: they point at strings and bytes the stack builder places itself.
 */
export interface AuxvValues {
  readonly phdr: number;
  readonly phent: number;
  readonly phnum: number;
  readonly pageSize: number;
  /** The interpreter's load address: 0 for a static program. */
  readonly base: number;
  readonly flags: number;
  readonly entry: number;
  readonly uid: number;
  readonly euid: number;
  readonly gid: number;
  readonly egid: number;
  readonly hwcap: number;
  /** Left out of the vector when undefined. */
  readonly hwcap2?: number;
  readonly clockTicks: number;
  readonly secure: number;
  /** The vDSO's address; AT_SYSINFO_EHDR is emitted only when this is given. */
  readonly sysinfoEhdr?: number;
}

/** Names for the entry types, for tests and diagnostics. */
export const AUXV_NAMES: Readonly<Record<number, string>> = {
  [AT_NULL]: 'AT_NULL',
  [AT_PHDR]: 'AT_PHDR',
  [AT_PHENT]: 'AT_PHENT',
  [AT_PHNUM]: 'AT_PHNUM',
  [AT_PAGESZ]: 'AT_PAGESZ',
  [AT_BASE]: 'AT_BASE',
  [AT_FLAGS]: 'AT_FLAGS',
  [AT_ENTRY]: 'AT_ENTRY',
  [AT_UID]: 'AT_UID',
  [AT_EUID]: 'AT_EUID',
  [AT_GID]: 'AT_GID',
  [AT_EGID]: 'AT_EGID',
  [AT_PLATFORM]: 'AT_PLATFORM',
  [AT_HWCAP]: 'AT_HWCAP',
  [AT_CLKTCK]: 'AT_CLKTCK',
  [AT_SECURE]: 'AT_SECURE',
  [AT_RANDOM]: 'AT_RANDOM',
  [AT_HWCAP2]: 'AT_HWCAP2',
  [AT_EXECFN]: 'AT_EXECFN',
  [AT_SYSINFO_EHDR]: 'AT_SYSINFO_EHDR',
};
