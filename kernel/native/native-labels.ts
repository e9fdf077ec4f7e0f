// Invocation labels, grouped by the object type they apply to (high nibble of
// the low byte): 0x1_ untyped, 0x2_ MemoryObject, 0x3_ VSpace, 0x4_ capability space,
// 0x5_ thread, 0x6_ endpoint.
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
  /** (endpoint slot, token) -> 0: faults on pages committed nowhere go to the endpoint as messages (kernel/native/pager.ts) */
  memoryObjectSetPager: 0x23,
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
  /** (source slot in the invoker's space, destination slot in this space, rights) -> destination slot */
  cspaceMintFrom: 0x44,
  /** (capability space slot, VSpace slot) -> 0 (kernel/native/thread-invocation.ts) */
  threadConfigure: 0x51,
  /** (pc, sp, x0, x1) -> 0: only while the thread is not running */
  threadWriteRegisters: 0x52,
  /** () -> 0 */
  threadResume: 0x53,
  /** () -> 0 */
  threadSuspend: 0x54,
  /** (m0..m3, capability slot or NO_SLOT, rights) -> 0 (kernel/native/endpoint-invocation.ts) */
  endpointSend: 0x60,
  /** (receive slot or NO_SLOT) -> message kind; x2..x5 the words, x6 the slot a capability went to */
  endpointReceive: 0x61,
  /** (m0..m3, capability slot or NO_SLOT, rights) -> 0; x2..x5 the reply's words */
  endpointCall: 0x62,
  /** (m0..m3) -> 0: answers the invoking thread's reply slot (any endpoint capability names the operation) */
  endpointReply: 0x63,
  /** (m0..m3, receive slot or NO_SLOT) -> as receive, after the reply */
  endpointReplyReceive: 0x64,
} as const;

/** Object type codes for untyped retype. */
export const RetypeCode = {
  memoryObject: 1,
  vspace: 2,
  cspace: 3,
  endpoint: 4,
  thread: 5,
} as const;

/** Permission bits of vspace map/protect. */
export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_EXEC = 4;
