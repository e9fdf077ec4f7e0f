// Reserved and unallocated encodings of the data-processing (register) group
// raise UNDEFINED (exception class 0). Each one was run under qemu-aarch64 7.2
// (-cpu max) and raised SIGILL there too.

import { describe, expect, it } from 'vitest';
import { Snippet } from './dp-register-harness';

const UNDEFINED: [number, string][] = [
  [0x8bc00000, 'ADD (shifted register) with shift type 11'],
  [0x0b008000, 'ADD (shifted register) W form with imm6 >= 32'],
  [0x8b201400, 'ADD (extended register) with imm3 > 4'],
  [0x8b600000, 'ADD (extended register) with opt != 00'],
  [0x0a008000, 'AND (shifted register) W form with imm6 >= 32'],
  [0xda400000, 'conditional compare with S = 0'],
  [0xfa400400, 'conditional compare with o2 = 1'],
  [0xfa400010, 'conditional compare with o3 = 1'],
  [0xba800000, 'conditional select with S = 1'],
  [0x9a800800, 'conditional select with op2 = 10'],
  [0xbb000000, '3-source with op54 != 00'],
  [0x1b200000, 'SMADDL with sf = 0'],
  [0x9b600000, '3-source op31 = 011'],
  [0x9b408000, 'SMULH with o0 = 1'],
  [0x9b800000, '3-source op31 = 100'],
  [0x9be00000, '3-source op31 = 111'],
  [0xbac00800, 'UDIV with S = 1'],
  [0x1ac00000, '2-source opcode 000000 with sf = 0'],
  [0x9ac00400, '2-source opcode 000001'],
  [0x1ac04c00, 'CRC32X with sf = 0'],
  [0x9ac04000, 'CRC32B with sf = 1'],
  [0x9ac06000, '2-source opcode 011000'],
  [0x1ac03000, 'PACGA with sf = 0'],
  [0x5ac00c00, 'REV (64-bit opcode) with sf = 0'],
  [0xdac01800, '1-source opcode 000110 (CTZ is FEAT_CSSC, not in qemu 7.2)'],
  [0xfac00000, '1-source with S = 1'],
  [0xdac20000, '1-source opcode2 00010'],
  [0x3a000400, 'RMIF with sf = 0'],
  [0x3a00081d | 0x10, 'SETF8 with o3 = 1'],
  [0x3a10080d, 'SETF8 with opcode2 != 0'],
  [0x9b40fc00, 'SMULH with o0 = 1 (Ra = 31)'],
];

describe('unallocated data-processing (register) encodings', () => {
  for (const [insn, what] of UNDEFINED) {
    it(`${insn.toString(16).padStart(8, '0')}: ${what}`, () => {
      const s = new Snippet(`.inst 0x${insn.toString(16)}`);
      expect(s.firstException()).toBe(0);
      expect(s.cpuOf().lastUndefined?.insn).toBe(insn);
    });
  }

  it('decodes the allocated neighbours of those encodings', () => {
    // SETF16, UMULH with Ra = 31, CRC32CX, REV32.
    for (const insn of [0x3a00480d, 0x9bc07c00, 0x9ac05c00, 0xdac00800]) {
      expect(new Snippet(`.inst 0x${insn.toString(16)}`).firstException(), insn.toString(16)).toBe(0x3c);
    }
  });
});
