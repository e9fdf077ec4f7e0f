// Invocation labels, grouped by the object type they apply to (high nibble of
// the low byte): 0x1_ untyped, 0x2_ MemoryObject, 0x3_ VSpace, 0x4_ capability
// space, 0x5_ thread, 0x60-0x64 endpoint, 0x68-0x6a notification, 0x7_ debug
// console. Arguments are n2.. in the order listed; the value comes back in n1
// (docs/native-abi.md).

export const Label = {
  /** (type code, destination slot, pages [MemoryObject only]) -> destination slot */
  untypedRetype: 0x10,
  /** () -> bytes not held by live objects */
  untypedFreeBytes: 0x11,
  /** (first page, count, untyped slot paying for the frames: the object's own) -> count */
  memoryObjectCommit: 0x20,
  /** (first page, count) -> count */
  memoryObjectDecommit: 0x21,
  /** (untyped slot for the clone's header and frames, destination slot, the clone's pager token) -> destination slot */
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
  /** (source slot, destination slot, rights, badge: 0 keeps the source's) -> destination slot */
  cspaceMint: 0x41,
  /** (slot) -> slot */
  cspaceDelete: 0x42,
  /** (slot) -> capabilities removed */
  cspaceRevoke: 0x43,
  /** (source slot in the invoker's space, destination slot in this space, rights, badge) -> destination slot */
  cspaceMintFrom: 0x44,
  /** (status) -> does not return when the capability names the caller: ends the thread it names */
  threadExit: 0x50,
  /** (capability space slot, VSpace slot) -> 0 (kernel/native/thread-invocation.ts) */
  threadConfigure: 0x51,
  /** (pc, sp, n0, n1) -> 0: only while the thread is not running */
  threadWriteRegisters: 0x52,
  /** () -> 0 */
  threadResume: 0x53,
  /** () -> 0 */
  threadSuspend: 0x54,
  /** () -> the thread's exit status, once it has ended (blocks until then) */
  threadJoin: 0x55,
  /** (m0..m3, capability slot or NO_SLOT, rights) -> 0 (kernel/native/endpoint-invocation.ts) */
  endpointSend: 0x60,
  /** (receive slot or NO_SLOT) -> message kind; n2..n5 the words, n6 the slot a capability went to, n7 the sender's badge */
  endpointReceive: 0x61,
  /** (m0..m3, capability slot or NO_SLOT, rights) -> 0; n2..n5 the reply's words */
  endpointCall: 0x62,
  /** (m0..m3) -> 0: answers the invoking thread's reply slot (any endpoint capability names the operation) */
  endpointReply: 0x63,
  /** (m0..m3, receive slot or NO_SLOT) -> as receive, after the reply */
  endpointReplyReceive: 0x64,
  /** () -> 0: ORs the capability's badge into the notification's word, or wakes its first waiter with it (kernel/native/notification-invocation.ts) */
  notificationSignal: 0x68,
  /** () -> the word (cleared); blocks while it is zero */
  notificationWait: 0x69,
  /** () -> the word (cleared), 0 when nothing was signalled; never blocks */
  notificationPoll: 0x6a,
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
  endpoint: 4,
  thread: 5,
  notification: 6,
} as const;

/** Permission bits of vspace map/protect. */
export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_EXEC = 4;
