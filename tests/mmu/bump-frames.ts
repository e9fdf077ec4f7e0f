// Table frames for backend tests: handed out upwards from a first address, one
// 4 KiB frame at a time, never reused; frees are only reported.

import type { TableFrames } from '../../kernel/arch/arch';

export function bumpFrames(first: number, onFree: (pa: number) => void = () => {}): TableFrames {
  let next = first;
  return { alloc: () => (next += 4096) - 4096, free: onFree };
}
