// 64-bit counters as 8 little-endian bytes, for timerfd reads (expiration
// counts stay below 2^53).

const TWO32 = 4294967296;

export function u64Bytes(v: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, v % TWO32 >>> 0, true);
  view.setUint32(4, Math.floor(v / TWO32) >>> 0, true);
  return out;
}
