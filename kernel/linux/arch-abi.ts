// Where the Linux ABI of x86_64 differs from arm64's in values rather than
// registers: four open(2) flags sit at other bits (arm64 moved O_DIRECTORY,
// O_NOFOLLOW, O_DIRECT and O_LARGEFILE), and struct stat has another layout
// (kernel/vfs/stat-buffer.ts). The kernel keeps arm64's values inside.

import type { ArchName } from '../arch/arch';

/** [x86_64 bit, arm64 bit]: O_DIRECT, O_LARGEFILE, O_DIRECTORY, O_NOFOLLOW. */
const X86_OPEN_BITS: readonly [number, number][] = [
  [0o40000, 0o200000],
  [0o100000, 0o400000],
  [0o200000, 0o40000],
  [0o400000, 0o100000],
];
const MOVED = 0o740000;

/** Swaps the moved bits; the swap is its own inverse, so it converts both ways. */
function swapOpenBits(flags: number): number {
  let out = flags & ~MOVED;
  for (const [x, a] of X86_OPEN_BITS) if ((flags & x) !== 0) out |= a;
  return out;
}

/** open flags as the caller's arch wrote them, in the kernel's (arm64) values. */
export function openFlagsFromUser(arch: ArchName, flags: number): number {
  return arch === 'x86_64' ? swapOpenBits(flags) : flags;
}

/** The kernel's (arm64) open flags in the caller's arch's values (F_GETFL). */
export function openFlagsToUser(arch: ArchName, flags: number): number {
  return arch === 'x86_64' ? swapOpenBits(flags) : flags;
}
