// The ELF note that marks a SaltyOS native program (docs/native-abi.md): in a
// PT_NOTE segment, name "SaltyOS" (namesz 8, with its NUL), type
// NT_SALTY_NATIVE, a 4-byte descriptor holding the native ABI version.
// `salty run` starts a program carrying it as a native process, not a Linux one.

export const SALTY_NOTE_NAME = 'SaltyOS';
export const NT_SALTY_NATIVE = 0x5a17;
export const NATIVE_ABI_VERSION = 1;

const PT_NOTE = 4;

/** The native ABI version the ELF's note asks for, or null when the ELF has no such note (a Linux program). */
export function nativeAbiVersion(bytes: Uint8Array): number | null {
  if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[4] !== 2 || bytes[5] !== 1) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phoff = Number(dv.getBigUint64(32, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 56 > bytes.length) return null;
    if (dv.getUint32(at, true) !== PT_NOTE) continue;
    const offset = Number(dv.getBigUint64(at + 8, true));
    const size = Number(dv.getBigUint64(at + 32, true));
    if (offset + size > bytes.length) continue;
    const found = findNote(dv, offset, offset + size);
    if (found !== null) return found;
  }
  return null;
}

function findNote(dv: DataView, start: number, end: number): number | null {
  // Arithmetic, not bit operations: a 32-bit size near 2^32 must not wrap.
  const pad = (n: number): number => Math.ceil(n / 4) * 4;
  let at = start;
  while (at + 12 <= end) {
    const namesz = dv.getUint32(at, true);
    const descsz = dv.getUint32(at + 4, true);
    const type = dv.getUint32(at + 8, true);
    const name = at + 12;
    const desc = name + pad(namesz);
    if (desc + pad(descsz) > end) return null;
    if (type === NT_SALTY_NATIVE && namesz === SALTY_NOTE_NAME.length + 1 && descsz >= 4 && nameIs(dv, name)) return dv.getUint32(desc, true);
    at = desc + pad(descsz);
  }
  return null;
}

function nameIs(dv: DataView, at: number): boolean {
  for (let i = 0; i < SALTY_NOTE_NAME.length; i++) if (dv.getUint8(at + i) !== SALTY_NOTE_NAME.charCodeAt(i)) return false;
  return dv.getUint8(at + SALTY_NOTE_NAME.length) === 0;
}
