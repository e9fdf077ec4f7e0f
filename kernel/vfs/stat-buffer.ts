// struct stat (arm64's generic layout, 128 bytes) and struct statx (256 bytes).

import { ROOT_DEV } from './mount-table';
import { S_IFMT, type Attributes } from './node';

const TWO32 = 4294967296;

function set64(v: DataView, at: number, x: number): void {
  v.setUint32(at, x % TWO32 >>> 0, true);
  v.setUint32(at + 4, Math.floor(x / TWO32) >>> 0, true);
}

function splitTime(ms: number): [number, number] {
  const sec = Math.floor(ms / 1000);
  return [sec, Math.floor((ms - sec * 1000) * 1e6)];
}

/** Every file reports the root's device (the mount table's ROOT_DEV). */
const DEV = ROOT_DEV;

/** struct stat of the caller's arch: arm64's (asm-generic, 128 bytes) or x86_64's (144 bytes). */
export function encodeStat(a: Attributes, arch: 'aarch64' | 'x86_64' = 'aarch64'): Uint8Array {
  if (arch === 'x86_64') return encodeStatX86(a);
  const out = new Uint8Array(128);
  const v = new DataView(out.buffer);
  set64(v, 0, DEV);
  set64(v, 8, a.ino);
  v.setUint32(16, S_IFMT[a.kind] | a.perm, true);
  v.setUint32(20, a.nlink, true);
  v.setUint32(24, a.uid ?? 0, true);
  v.setUint32(28, a.gid ?? 0, true);
  set64(v, 32, a.rdev);
  set64(v, 48, a.size);
  v.setInt32(56, 4096, true);
  set64(v, 64, Math.ceil(a.size / 512));
  const times = [a.atimeMs, a.mtimeMs, a.ctimeMs];
  times.forEach((ms, i) => {
    const [s, ns] = splitTime(ms);
    set64(v, 72 + 16 * i, s);
    set64(v, 80 + 16 * i, ns);
  });
  return out;
}

/** x86_64's struct stat: nlink is 64-bit and comes before mode; blksize is 64-bit. */
function encodeStatX86(a: Attributes): Uint8Array {
  const out = new Uint8Array(144);
  const v = new DataView(out.buffer);
  set64(v, 0, DEV);
  set64(v, 8, a.ino);
  set64(v, 16, a.nlink);
  v.setUint32(24, S_IFMT[a.kind] | a.perm, true);
  v.setUint32(28, a.uid ?? 0, true);
  v.setUint32(32, a.gid ?? 0, true);
  set64(v, 40, a.rdev);
  set64(v, 48, a.size);
  set64(v, 56, 4096);
  set64(v, 64, Math.ceil(a.size / 512));
  const times = [a.atimeMs, a.mtimeMs, a.ctimeMs];
  times.forEach((ms, i) => {
    const [s, ns] = splitTime(ms);
    set64(v, 72 + 16 * i, s);
    set64(v, 80 + 16 * i, ns);
  });
  return out;
}

export function encodeStatx(a: Attributes): Uint8Array {
  const out = new Uint8Array(256);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x7ff, true); // STATX_BASIC_STATS
  v.setUint32(4, 4096, true);
  v.setUint32(16, a.nlink, true);
  v.setUint32(20, a.uid ?? 0, true);
  v.setUint32(24, a.gid ?? 0, true);
  v.setUint16(28, S_IFMT[a.kind] | a.perm, true);
  set64(v, 32, a.ino);
  set64(v, 40, a.size);
  set64(v, 48, Math.ceil(a.size / 512));
  const stamp = (at: number, ms: number): void => {
    const [s, ns] = splitTime(ms);
    set64(v, at, s);
    v.setUint32(at + 8, ns, true);
  };
  stamp(64, a.atimeMs);
  stamp(80, a.ctimeMs);
  stamp(96, a.ctimeMs);
  stamp(112, a.mtimeMs);
  v.setUint32(128, a.rdev >>> 8, true);
  v.setUint32(132, a.rdev & 0xff, true);
  v.setUint32(136, DEV >>> 8, true);
  v.setUint32(140, DEV & 0xff, true);
  return out;
}
