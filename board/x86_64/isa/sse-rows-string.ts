// Decode rows of SSE4.2's PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (unaligned
// m128 allowed) and CRC32 r32/r64, r/m8|16|32|64.

import type { X86Handler, X86Row } from '../decoder';
import { setArithFlags } from '../flags';
import { readE, readE64 } from './operand-forms';
import { SSE_OUT } from './sse-operands';
import { crc32c, pcmpstr } from './sse-string';
import { xmmForm } from './sse-wiring';

function pcmp(explicit: boolean, index: boolean): X86Handler {
  return (i, cpu) => {
    const wide = i.rexW;
    const inner = xmmForm((s, d, src, si, imm) => pcmpstr(s, d, src, si, imm, explicit, index, wide), 16, false)(i, cpu)!;
    const lz = cpu.lz;
    return () => {
      inner();
      setArithFlags(lz, SSE_OUT.flags);
    };
  };
}

/** CRC32 Gd/Gq, Eb (byteSource) or Ev: the destination's low 32 bits are the running CRC; the result zero-extends. */
function crc32(byteSource: boolean): X86Handler {
  return (i, cpu) => {
    const r = cpu.r;
    const g = 2 * i.reg;
    const size = byteSource ? 1 : i.opsize;
    if (size === 8) {
      const read = readE64(cpu, i, 0);
      const t = cpu.t;
      return () => {
        read();
        r[g] = crc32c(r[g], t[0], t[1], 8);
        r[g + 1] = 0;
      };
    }
    const read = readE(cpu, i, size);
    return () => {
      r[g] = crc32c(r[g], read(), 0, size);
      r[g + 1] = 0;
    };
  };
}

export const sseStringRows: X86Row[] = [
  { name: 'PCMPESTRM', enc: '66 0F 3A 60 /r ib', handler: pcmp(true, false) },
  { name: 'PCMPESTRI', enc: '66 0F 3A 61 /r ib', handler: pcmp(true, true) },
  { name: 'PCMPISTRM', enc: '66 0F 3A 62 /r ib', handler: pcmp(false, false) },
  { name: 'PCMPISTRI', enc: '66 0F 3A 63 /r ib', handler: pcmp(false, true) },
  { name: 'CRC32 Gd, Eb', enc: 'F2 0F 38 F0 /r', width: 'b', handler: crc32(true) },
  { name: 'CRC32 Gd, Ev', enc: 'F2 0F 38 F1 /r', handler: crc32(false) },
];
