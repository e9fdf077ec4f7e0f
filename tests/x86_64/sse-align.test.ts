// 16-byte memory operands of legacy SSE instructions must be aligned (#GP)
// except MOVUPS/MOVUPD/MOVDQU/LDDQU and PCMPxSTRx; narrower operands never are.

import { describe, expect, it } from 'vitest';
import { Vector } from '../../board/x86_64/x86-fault';
import { DATA, x86Machine } from './x86-test-machine';

function vectorOf(code: number[], rsi: number): number {
  const m = x86Machine(Uint8Array.from(code), { 6: rsi });
  return m.run().vector;
}

describe('SSE memory alignment', () => {
  const misaligned = DATA + 8;
  it.each([
    ['movaps xmm0, [rsi]', [0x0f, 0x28, 0x06], Vector.GP],
    ['movdqa [rsi], xmm0', [0x66, 0x0f, 0x7f, 0x06], Vector.GP],
    ['paddb xmm0, [rsi]', [0x66, 0x0f, 0xfc, 0x06], Vector.GP],
    ['pshufb xmm0, [rsi]', [0x66, 0x0f, 0x38, 0x00, 0x06], Vector.GP],
    ['addps xmm0, [rsi]', [0x0f, 0x58, 0x06], Vector.GP],
    ['movups xmm0, [rsi]', [0x0f, 0x10, 0x06], Vector.BP],
    ['movdqu xmm0, [rsi]', [0xf3, 0x0f, 0x6f, 0x06], Vector.BP],
    ['lddqu xmm0, [rsi]', [0xf2, 0x0f, 0xf0, 0x06], Vector.BP],
    ['pcmpistri xmm0, [rsi], 0', [0x66, 0x0f, 0x3a, 0x63, 0x06, 0x00], Vector.BP],
    ['addss xmm0, [rsi]', [0xf3, 0x0f, 0x58, 0x06], Vector.BP],
    ['movq xmm0, [rsi]', [0xf3, 0x0f, 0x7e, 0x06], Vector.BP],
    ['pmovzxbw xmm0, [rsi]', [0x66, 0x0f, 0x38, 0x30, 0x06], Vector.BP],
  ])('%s', (_name, code, vector) => {
    expect(vectorOf(code as number[], misaligned)).toBe(vector);
    expect(vectorOf(code as number[], DATA)).toBe(Vector.BP);
  });

  it('an SSE encoding with no row is #UD (unknown 0F 38 opcodes, F3/F2 on the MMX-only integer map)', () => {
    expect(vectorOf([0x66, 0x0f, 0x38, 0xff, 0xc1], DATA)).toBe(Vector.UD);
    expect(vectorOf([0xf3, 0x0f, 0xfc, 0xc1], DATA)).toBe(Vector.UD); // no PADDB with F3
    expect(vectorOf([0x0f, 0x38, 0x10, 0xc1], DATA)).toBe(Vector.UD); // PBLENDVB has no MMX form
    expect(vectorOf([0x0f, 0x73, 0xd9, 0x01], DATA)).toBe(Vector.UD); // PSRLDQ has no MMX form (0F 73 /3)
  });
});
