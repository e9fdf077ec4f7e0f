// Who owns a physical frame. Every frame has exactly one owner at any moment.

export const FRAME_OWNERS = [
  'free',
  'kernel-image',
  'page-table',
  'untyped-reserved',
  'mo-data',
  'mo-meta',
  'kernel-object',
  'device',
  'fs-data',
  'kobj',
] as const;

export type FrameOwner = (typeof FRAME_OWNERS)[number];

export const OWNER_LABEL: Record<FrameOwner, string> = {
  free: 'free',
  'kernel-image': 'kernel image',
  'page-table': 'page table',
  'untyped-reserved': 'untyped-reserved',
  'mo-data': 'MemoryObject data',
  'mo-meta': 'MemoryObject metadata',
  'kernel-object': 'kernel object',
  device: 'device',
  'fs-data': 'file data',
  kobj: 'kernel-object charges',
};

const CODES = Object.fromEntries(FRAME_OWNERS.map((o, i) => [o, i])) as Record<FrameOwner, number>;

export function ownerCode(owner: FrameOwner): number {
  return CODES[owner];
}
