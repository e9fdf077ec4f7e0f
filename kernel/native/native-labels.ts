// Invocation labels, grouped by the object type they apply to (high nibble of
// the low byte): 0x1_ untyped, 0x2_ MemoryObject, 0x3_ VSpace, 0x4_ capability space.
// Arguments are x2.. in the order listed.

export const Label = {
  /** (type code, destination slot, pages [MemoryObject only]) -> destination slot */
  untypedRetype: 0x10,
  /** (first page, count) -> count */
  memoryObjectCommit: 0x20,
  /** (first page, count) -> count */
  memoryObjectDecommit: 0x21,
  /** (untyped slot for the clone's header, destination slot) -> destination slot */
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
} as const;

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
