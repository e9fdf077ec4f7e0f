// 64-bit counters as 8 little-endian bytes, for eventfd and timerfd reads and
// writes (values stay below 2^53 in practice; the exact top is not needed).

const TWO32 = 4294967296;

export function u64Bytes(v: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, v % TWO32 >>> 0, true);
  view.setUint32(4, Math.floor(v / TWO32) >>> 0, true);
  return out;
}

/** The value, or -1 for 0xffff_ffff_ffff_ffff (which eventfd refuses). */
export function readU64(b: Uint8Array): number {
  const view = new DataView(b.buffer, b.byteOffset, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  return lo === 0xffffffff && hi === 0xffffffff ? -1 : hi * TWO32 + lo;
}
