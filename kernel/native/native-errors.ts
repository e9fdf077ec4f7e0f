// The native ABI's error codes, returned in x0 (0 = success).

export const NativeError = {
  ok: 0,
  /** The slot is outside the capability space or holds nothing. */
  invalidCapability: 1,
  /** The capability names an object of another type than the operation needs. */
  wrongObjectType: 2,
  /** The label is not an operation of the invoked object's type. */
  illegalLabel: 3,
  /** An argument is not a value the operation accepts (unknown type code, bad permission bits, zero count). */
  invalidArgument: 4,
  /** A page, address or slot index lies outside what the object has. */
  outOfRange: 5,
  /** An address or length is not page aligned. */
  misaligned: 6,
  /** A capability lacks a right the operation needs. */
  insufficientRights: 7,
  /** The destination slot is occupied. */
  slotOccupied: 8,
  /** The untyped (or the PMM) has no room for what the operation would allocate. */
  notEnoughMemory: 9,
  /** The address range overlaps a region already mapped. */
  regionOverlap: 10,
  /** A user buffer the call reads or writes is not mapped with the access it needs. */
  badAddress: 11,
  /** The endpoint was deleted (or the thread suspended) while the thread waited in an IPC. */
  cancelled: 12,
  /** A reply with no caller waiting for one in the thread's reply slot. */
  noReplyTarget: 13,
  /** The object is in the wrong state for the operation (resume of an unconfigured thread, IPC without a thread). */
  illegalOperation: 14,
} as const;

export type NativeErrorCode = (typeof NativeError)[keyof typeof NativeError];

const NAMES = new Map<number, string>(Object.entries(NativeError).map(([k, v]) => [v, k]));

export function nativeErrorName(code: number): string {
  return NAMES.get(code) ?? `error ${code}`;
}
