// Integer data-processing groups (Arm ARM C4.1.86 and C4.1.89 tables), Armv8.0
// encodings only: MTE tag arithmetic, FlagM and pointer authentication are left out.

import { bits, pattern } from './encoding-pattern';
import { RisuGroup } from './risu-group';

export const dpImmediate: RisuGroup = {
  name: 'dp-immediate',
  blockLength: 8,
  cases: 5000,
  fp: false,
  patterns: [
    pattern('ADR/ADRP', 'p ii 10000 iiiiiiiiiiiiiiiiiii ddddd'),
    pattern('ADD/SUB (immediate)', 's o S 100010 h iiiiiiiiiiii nnnnn ddddd', undefined, 3),
    pattern('logical (immediate)', 's oo 100100 N rrrrrr ssssss nnnnn ddddd', undefined, 3),
    pattern('move wide', 's oo 100101 hh iiiiiiiiiiiiiiii ddddd', undefined, 2),
    pattern('bitfield', 's oo 100110 N rrrrrr ssssss nnnnn ddddd', undefined, 3),
    pattern('EXTR', 's 00 100111 N 0 mmmmm ssssss nnnnn ddddd'),
  ],
};

const DP2_OPCODES = [0b000010, 0b000011, 0b001000, 0b001001, 0b001010, 0b001011,
  0b010000, 0b010001, 0b010010, 0b010011, 0b010100, 0b010101, 0b010110, 0b010111];

export const dpRegister: RisuGroup = {
  name: 'dp-register',
  blockLength: 8,
  cases: 5000,
  fp: false,
  patterns: [
    pattern('logical (shifted register)', 's oo 01010 hh N mmmmm iiiiii nnnnn ddddd', undefined, 3),
    pattern('ADD/SUB (shifted register)', 's o S 01011 hh 0 mmmmm iiiiii nnnnn ddddd', undefined, 3),
    pattern('ADD/SUB (extended register)', 's o S 01011 00 1 mmmmm ooo iii nnnnn ddddd', undefined, 2),
    pattern('ADC/SBC', 's o S 11010000 mmmmm 000000 nnnnn ddddd'),
    pattern('CCMN/CCMP (register)', 's o 1 11010010 mmmmm cccc 0 0 nnnnn 0 ffff'),
    pattern('CCMN/CCMP (immediate)', 's o 1 11010010 iiiii cccc 1 0 nnnnn 0 ffff'),
    pattern('conditional select', 's o 0 11010100 mmmmm cccc 0 o nnnnn ddddd', undefined, 2),
    pattern('data-processing (3 source)', 's 00 11011 ooo mmmmm o aaaaa nnnnn ddddd', undefined, 2),
    pattern('data-processing (2 source)', 's 0 0 11010110 mmmmm oooooo nnnnn ddddd', (insn, { rng }) => {
      const op = rng.pick(DP2_OPCODES);
      return ((insn & ~(0x3f << 10)) | (op << 10)) >>> 0;
    }, 2),
    pattern('data-processing (1 source)', 's 1 0 11010110 00000 000ooo nnnnn ddddd', (insn) => (bits(insn, 12, 10) > 5 ? null : insn)),
  ],
};
