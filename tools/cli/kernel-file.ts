// The -kernel file as QEMU's arm64 loader takes it: a gzip'd file (Debian's
// vmlinuz on some architectures and versions, any `gzip Image`) is unpacked
// first, then loaded like the bytes it holds (ELF, arm64 Image or raw code).

import { createRequire } from 'node:module';

/** QEMU unpacks at most this much (LOAD_IMAGE_MAX_GUNZIP_BYTES). */
const MAX_UNPACKED = 256 * 1024 * 1024;

export class KernelFileError extends Error {}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 18 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 8;
}

/** The kernel's bytes, unpacked when the file is gzip'd. */
export function kernelBytes(file: string, bytes: Uint8Array): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const zlib = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
    return zlib.gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED });
  } catch (e) {
    throw new KernelFileError(`${file}: a gzip'd kernel that does not unpack (${(e as Error).message})`);
  }
}
