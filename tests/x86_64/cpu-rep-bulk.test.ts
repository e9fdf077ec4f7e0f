// REP MOVS/STOS over many pages: results, element-order semantics when the
// destination is just ahead of the source, precise registers at a fault, and
// stores into decoded code.

import { describe, expect, it } from 'vitest';
import { RCX, RDI, RSI } from '../../board/x86_64/cpu-state';
import { Vector } from '../../board/x86_64/x86-fault';
import { x86asm } from './x86-asm';
import { DATA, x86Machine } from './x86-test-machine';

const SRC = 0x60_0000;
const DST = 0x68_0000;

function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
}

describe('x86 REP MOVS/STOS in bulk', () => {
  it('copies 5 pages plus a tail with rep movsq from an unaligned source, and rep movsb the rest', () => {
    const m = x86Machine(x86asm(`mov rsi, ${SRC + 3}\nmov rdi, ${DST + 5}\nmov ecx, 2600\nrep movsq\nmov ecx, 7\nrep movsb`));
    const src = pattern(30000);
    m.phys.writeBytes(SRC, src);
    m.runToBreakpoint();
    expect(Buffer.from(m.phys.readBytes(DST + 5, 2600 * 8 + 7))).toEqual(Buffer.from(src.subarray(3, 3 + 2600 * 8 + 7)));
    expect(m.phys.bytes[DST + 4]).toBe(0);
    expect(m.phys.bytes[DST + 5 + 2600 * 8 + 7]).toBe(0);
    expect(m.reg(RSI)).toBe(BigInt(SRC + 3 + 2600 * 8 + 7));
    expect(m.reg(RDI)).toBe(BigInt(DST + 5 + 2600 * 8 + 7));
    expect(m.reg(RCX)).toBe(0n);
  });

  it('rep movsb with the destination one byte ahead replicates the first byte, as element order demands', () => {
    const m = x86Machine(x86asm(`mov rsi, ${SRC}\nmov rdi, ${SRC + 1}\nmov ecx, 9000\nrep movsb`));
    m.phys.writeBytes(SRC, Uint8Array.from([0x5a, 1, 2, 3]));
    m.runToBreakpoint();
    expect([...m.phys.readBytes(SRC, 9001)].every((b) => b === 0x5a)).toBe(true);
  });

  it('rep stosd and stosq fill across pages; rep stosb writes AL', () => {
    const m = x86Machine(x86asm(`mov rdi, ${DST + 2}\nmov ecx, 3000\nmov eax, 0x11223344\nrep stosd\nmov rdi, ${SRC}\nmov ecx, 1500\nmov rax, 0x0102030405060708\nrep stosq\nmov rdi, ${DATA}\nmov ecx, 5000\nrep stosb`));
    m.runToBreakpoint();
    const v = m.phys.view;
    for (const k of [0, 1, 1022, 1023, 1024, 2999]) expect(v.getUint32(DST + 2 + 4 * k, true)).toBe(0x11223344);
    expect(v.getUint32(DST + 2 + 4 * 3000, true)).toBe(0);
    for (const k of [0, 511, 512, 1499]) expect(v.getBigUint64(SRC + 8 * k, true)).toBe(0x0102030405060708n);
    expect([...m.phys.readBytes(DATA, 5000)].every((b) => b === 0x08)).toBe(true);
  });

  it('a fault in the middle leaves RSI/RDI/RCX at the first element not copied', () => {
    const m = x86Machine(x86asm(`mov rsi, ${SRC}\nmov rdi, ${DST + 8}\nmov ecx, 2000\nrep movsq`));
    m.unmap(DST + 0x2000);
    const t = m.run();
    expect(t).toMatchObject({ vector: Vector.PF, cr2: DST + 0x2000 });
    // Elements up to the end of the second destination page were copied: (0x2000 - 8) / 8 of them.
    const done = (0x2000 - 8) / 8;
    expect(m.reg(RCX)).toBe(BigInt(2000 - done));
    expect(m.reg(RSI)).toBe(BigInt(SRC + 8 * done));
    expect(m.reg(RDI)).toBe(BigInt(DST + 8 + 8 * done));
  });

  it('rep stosb over decoded code drops it (the new bytes run)', () => {
    const code = x86asm(`
      lea rdi, [rip + 2f]
      mov ecx, 2
      mov al, 0x90
      rep stosb
    2: ud2
      mov eax, 42
    `);
    const m = x86Machine(code);
    m.runToBreakpoint();
    expect(m.reg(0)).toBe(42n);
  });
});
