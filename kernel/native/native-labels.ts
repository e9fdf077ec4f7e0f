// Invocation labels, grouped by the object type they apply to (high nibble of
// the low byte): 0x1_ untyped, 0x2_ MemoryObject, 0x3_ VSpace, 0x4_ capability
// space, 0x5_ thread, 0x7_ debug console. Arguments are x2.. in the order
// listed; the value comes back in x1 (docs/native-abi.md).

export const Label = {
  /** (type code, destination slot, pages [MemoryObject only]) -> destination slot */
  untypedRetype: 0x10,
  /** () -> bytes not held by live objects */
  untypedFreeBytes: 0x11,
  /** (first page, count, untyped slot paying for the frames: the object's own) -> count */
  memoryObjectCommit: 0x20,
  /** (first page, count) -> count */
  memoryObjectDecommit: 0x21,
  /** (untyped slot for the clone's header and frames, destination slot) -> destination slot */
  memoryObjectClone: 0x22,
  /** (MemoryObject slot, address, pages, first MemoryObject page, permission bits) -> address */
  vspaceMap: 0x30,
  /** (address, pages) -> address */
  vspaceUnmap: 0x31,
  /** (address, pages, permission bits) -> address */
  vspaceProtect: 0x32,
  /** (source slot, destination slot) -> destination slot */
  cspaceCopy: 0x40,
  /** (source slot, destination slot, rights) -> destination slot */
  cspaceMint: 0x41,
  /** (slot) -> slot */
  cspaceDelete: 0x42,
  /** (slot) -> capabilities removed */
  cspaceRevoke: 0x43,
  /** (status) -> does not return */
  threadExit: 0x50,
  /** (address, length) -> length: the bytes go to the console (stdout of salty run) */
  debugWrite: 0x70,
  /** (address, words) -> words written: tier statistics as 64-bit words (STAT_WORDS in native-stats.ts) */
  debugStats: 0x71,
} as const;

const LABEL_NAMES = new Map<number, string>(Object.entries(Label).map(([k, v]) => [v, k]));

/** The label's name for --strace (a number nobody defined shows in hex). */
export function labelName(label: number): string {
  return LABEL_NAMES.get(label) ?? `label 0x${label.toString(16)}`;
}

/** Object type codes for untyped retype. */
export const RetypeCode = {
  memoryObject: 1,
  vspace: 2,
  cspace: 3,
} as const;

/** Permission bits of vspace map/protect. */
export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_EXEC = 4;
