// Instruction specs for PCMPxSTRx and CRC32.

import { FLAGS, type Case } from './harness';
import type { Rng } from './gen';
import type { Spec } from './suite';
import { crc32c, pcmpstr } from '../../../board/x86_64/isa/sse-string';
import { SSE_OUT } from '../../../board/x86_64/isa/sse-operands';

const ALPHABET = [0, 0x61, 0x62, 0x63, 0x41, 0x7f, 0x80, 0xff, 0x20];

function str(r: Rng, b: Uint8Array): void {
  const zeroAt = r.chance(0.5) ? r.below(17) : -1;
  for (let i = 0; i < b.length; i++) b[i] = i === zeroAt ? 0 : r.chance(0.7) ? r.pick(ALPHABET) : r.below(256);
}

function length(r: Rng): bigint {
  if (r.chance(0.85)) return BigInt.asUintN(64, BigInt(r.below(41) - 20));
  return BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
}

export function genStr(r: Rng, c: Case): void {
  str(r, c.xmm.subarray(0, 16));
  if (r.chance(0.3)) {
    c.xmm.copyWithin(16, 0, 16);
    if (r.chance(0.5)) c.xmm[16 + r.below(16)] = r.pick(ALPHABET);
  } else str(r, c.xmm.subarray(16, 32));
  str(r, c.xmm.subarray(32, 48));
  if (r.chance(0.3)) c.xmm.copyWithin(16, 32, 40); // pattern appears in the string
  str(r, c.mem);
  c.rax = length(r);
  c.rdx = length(r);
  c.rcx = BigInt(r.u32());
}

const FLAGS_ALL = 0x8d5;

function pcmp(name: string, opc: number, explicit: boolean, index: boolean, wide: boolean): Spec {
  return {
    name,
    op: [0x66, ...(wide ? [0x48] : []), 0x0f, 0x3a, opc],
    modrm: 0xd1, // reg xmm2, rm xmm1
    imm: (r) => r.u32(),
    flags: FLAGS_ALL,
    gen: genStr,
    run: (s, src, si, imm) => {
      pcmpstr(s, 2, src, si, imm, explicit, index, wide);
      FLAGS.value = SSE_OUT.flags;
      return 0;
    },
  };
}

export const stringSpecs: Spec[] = [
  pcmp('pcmpestrm', 0x60, true, false, false),
  pcmp('pcmpestri', 0x61, true, true, false),
  pcmp('pcmpistrm', 0x62, false, false, false),
  pcmp('pcmpistri', 0x63, false, true, false),
  pcmp('pcmpestri64', 0x61, true, true, true),
  pcmp('pcmpestrm64', 0x60, true, false, true),
];

// CRC32 eax/rax, cl/cx/ecx/rcx or memory.
const CRC: Array<[string, number[], number, boolean]> = [
  ['crc32b', [0xf2, 0x0f, 0x38, 0xf0], 1, false],
  ['crc32w', [0x66, 0xf2, 0x0f, 0x38, 0xf1], 2, false],
  ['crc32d', [0xf2, 0x0f, 0x38, 0xf1], 4, false],
  ['crc32q', [0xf2, 0x48, 0x0f, 0x38, 0xf1], 8, true],
  ['crc32b64', [0xf2, 0x48, 0x0f, 0x38, 0xf0], 1, true],
];
for (const [name, op, bytes] of CRC) {
  stringSpecs.push({
    name,
    op,
    gen: (r, c) => {
      genStr(r, c);
      c.rax = BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
      c.rcx = BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
    },
    run: (s, src, _si, _imm, isMem) => {
      const lo = isMem ? src.xw[0] : s.r[2];
      const hi = isMem ? src.xw[1] : s.r[3];
      s.r[0] = crc32c(s.r[0], lo, hi, bytes);
      s.r[1] = 0;
      return 0;
    },
  });
}
