// The typed kernel objects Untyped memory is retyped into, with their fixed sizes.
// Each object is aligned to its size. The object itself lives in JavaScript; its
// bytes are charged to the untyped it was carved from.

export const OBJECT_TYPES = ['thread', 'cspace', 'vspace', 'page-table', 'memory-object', 'endpoint', 'frame', 'mo-node', 'notification'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/**
 * Sizes in bytes (powers of two):
 * - thread 1 KiB: registers, FP/SIMD state and scheduling fields.
 * - cspace 4 KiB: 256 slots of 16 bytes.
 * - vspace 4 KiB: the root translation table's frame.
 * - page-table 4 KiB: one translation table.
 * - memory-object 256 bytes: the header; its pages and radix nodes are separate frames.
 * - endpoint 64 bytes: a message queue head.
 * - frame 4 KiB: a MemoryObject's data page (kernel/mm/untyped-frames.ts).
 * - mo-node 4 KiB: a node of a MemoryObject's radix tree.
 * - notification 64 bytes: a word of signal bits and a queue head.
 */
export const OBJECT_SIZE: Record<ObjectType, number> = {
  thread: 1024,
  cspace: 4096,
  vspace: 4096,
  'page-table': 4096,
  'memory-object': 256,
  endpoint: 64,
  frame: 4096,
  'mo-node': 4096,
  notification: 64,
};

export const CSPACE_SLOTS = 256;

/** The PMM owner of the frames an object of this type sits in. */
export function frameOwnerOf(type: ObjectType): 'page-table' | 'mo-data' | 'mo-meta' | 'kernel-object' {
  if (holdsTables(type)) return 'page-table';
  if (type === 'frame') return 'mo-data';
  return type === 'mo-node' ? 'mo-meta' : 'kernel-object';
}

/** Types whose frames hold translation tables (their frames are owned 'page-table'). */
export function holdsTables(type: ObjectType): boolean {
  return type === 'vspace' || type === 'page-table';
}
