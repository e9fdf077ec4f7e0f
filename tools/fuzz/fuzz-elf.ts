// The fuzzing process's program: a minimal static ELF for either CPU whose
// code is never run (the fuzzer injects every call through the dispatcher);
// it only gives the process an image, a text page and a stack.

const TEXT = 0x40_0000;
const HEADERS = 64 + 56;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;

export const FUZZ_ELF_ENTRY = TEXT + HEADERS;

/** A static ELF64 executable of one R+X segment: headers and a few bytes of code. */
export function fuzzElf(arch: 'aarch64' | 'x86_64'): Uint8Array {
  // aarch64: b . (0x14000000); x86_64: jmp $ (eb fe), padded.
  const code = arch === 'aarch64' ? [0x00, 0x00, 0x00, 0x14] : [0xeb, 0xfe, 0x90, 0x90];
  const bytes = new Uint8Array(HEADERS + code.length);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, arch === 'aarch64' ? EM_AARCH64 : EM_X86_64, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, FUZZ_ELF_ENTRY, true);
  v.setUint32(32, 64, true); // e_phoff
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, 1, true);
  v.setUint16(58, 64, true);
  v.setUint32(64, 1, true); // PT_LOAD
  v.setUint32(68, 5, true); // PF_R | PF_X
  v.setUint32(80, TEXT, true);
  v.setUint32(88, TEXT, true);
  v.setUint32(96, bytes.length, true);
  v.setUint32(104, bytes.length, true);
  v.setUint32(112, 0x1000, true);
  bytes.set(code, HEADERS);
  return bytes;
}
