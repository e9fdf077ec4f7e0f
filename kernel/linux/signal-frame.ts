// The arch-neutral part of a Linux signal frame: siginfo_t, 128 bytes, the
// same on arm64 and x86_64. The rest of the frame is the arch's
// (kernel/arch/<arch>/signal-frame.ts).

import type { SigInfo } from './signal-state';

export const SIGINFO_SIZE = 128;
const TWO32 = 4294967296;

function set64(v: DataView, at: number, value: number): void {
  v.setUint32(at, value % TWO32 >>> 0, true);
  v.setUint32(at + 4, Math.floor(value / TWO32) >>> 0, true);
}

/** The 128-byte siginfo_t for info. */
export function encodeSiginfo(info: SigInfo): Uint8Array {
  const out = new Uint8Array(SIGINFO_SIZE);
  const v = new DataView(out.buffer);
  v.setInt32(0, info.signo, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) {
    set64(v, 16, info.addr);
  } else if (info.band !== undefined) {
    set64(v, 16, info.band);
    v.setInt32(24, info.fd ?? 0, true);
  } else {
    v.setInt32(16, info.pid ?? 0, true);
    v.setInt32(20, info.uid ?? 0, true);
    if (info.status !== undefined) v.setInt32(24, info.status, true);
    else if (info.value !== undefined) set64(v, 24, info.value);
  }
  return out;
}
