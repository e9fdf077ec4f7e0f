// Hand-assembled test programs as minimal static ELF64 aarch64 executables.

const TEXT = 0x40_0000;
const HEADERS = 64 + 56;

/** A static ELF64 aarch64 executable: one R+X segment holding the headers and the code. */
export function tinyElf(words: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(HEADERS + words.length * 4);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // \x7fELF, 64-bit, little-endian, version 1
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 183, true); // EM_AARCH64
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(TEXT + HEADERS), true); // e_entry
  v.setBigUint64(32, 64n, true); // e_phoff
  v.setUint16(52, 64, true); // e_ehsize
  v.setUint16(54, 56, true); // e_phentsize
  v.setUint16(56, 1, true); // e_phnum
  v.setUint16(58, 64, true); // e_shentsize
  v.setUint32(64, 1, true); // PT_LOAD
  v.setUint32(68, 5, true); // PF_R | PF_X
  v.setBigUint64(80, BigInt(TEXT), true); // p_vaddr
  v.setBigUint64(88, BigInt(TEXT), true); // p_paddr
  v.setBigUint64(96, BigInt(bytes.length), true); // p_filesz
  v.setBigUint64(104, BigInt(bytes.length), true); // p_memsz
  v.setBigUint64(112, 0x1000n, true); // p_align
  words.forEach((w, i) => v.setUint32(HEADERS + 4 * i, w, true));
  return bytes;
}
