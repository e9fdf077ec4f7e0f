// AdvSIMD copy, modified immediate and shift by immediate: each case runs
// from the same register state and is compared with what qemu-aarch64 7.2
// (cpu max) printed for the same instructions (registers that changed only).

import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../board/aarch64/cpu';
import { asm } from './asm';
import { machine } from './machine';

type Expected = Record<string, string>;

/** The starting vectors the qemu probe used: a byte pattern per register, with signed edge values in v4/v5. */
function initialVectors(): Uint8Array[] {
  const regs: Uint8Array[] = [];
  for (let r = 0; r < 8; r++) regs.push(Uint8Array.from({ length: 16 }, (_, i) => (r * 0x11 + i * 0x1d + i * i * 7 + (r === 3 ? 0x80 : 0)) & 0xff));
  regs[4] = Uint8Array.from([0x00, 0x80, 0xff, 0x7f, 0x01, 0x81, 0xfe, 0x7e, 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f]);
  regs[5] = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
  return regs;
}

function hex128(bytes: Uint8Array): string {
  return [...bytes].reverse().map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs `source` and returns the registers that differ from the start state, in the probe's format. */
export function runCase(source: string): Expected {
  const start = initialVectors();
  const m = machine(source, (cpu: Cpu) => start.forEach((v, i) => cpu.state.setV(i, v)));
  expect(m.run()).toBe(0x3c);
  const out: Expected = {};
  for (let r = 0; r < 8; r++) {
    const now = hex128(m.cpu.state.getV(r));
    if (now !== hex128(start[r])) out[`v${r}`] = now;
  }
  for (let r = 0; r < 4; r++) if (m.x(r) !== 0n) out[`x${r}`] = m.x(r).toString(16).padStart(16, '0');
  if (m.cpu.fpsr !== 0) out.fpsr = m.cpu.fpsr.toString(16).padStart(8, '0');
  return out;
}

function table(cases: [string, Expected][]): void {
  for (const [source, expected] of cases) {
    it(source.replace(/\n\s*/g, '; '), () => {
      const got = runCase(source);
      expect(got).toEqual(expected);
    });
  }
}

/** Encodings that must be UNDEFINED (the run stops with EC 0, not at the final BRK). */
export function expectUndefined(words: number[]): void {
  for (const w of words) {
    const m = machine(`.inst 0x${w.toString(16)}`);
    expect(m.run(), `0x${w.toString(16)}`).toBe(0);
  }
}

describe('AdvSIMD copy', () => {
  table([
    ["dup v6.16b, v1.b[3]", { v6: 'a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7' }],
    ["dup v6.8b, v1.b[15]", { v6: '0000000000000000ebebebebebebebeb' }],
    ["dup v6.4h, v2.h[7]", { v6: '0000000000000000fc14fc14fc14fc14' }],
    ["dup v6.8h, v2.h[2]", { v6: '62066206620662066206620662066206' }],
    ["dup v6.2s, v3.s[3]", { v6: '00000000000000008da5cbff8da5cbff' }],
    ["dup v6.4s, v3.s[1]", { v6: 'd55df397d55df397d55df397d55df397' }],
    ["dup v6.2d, v3.d[1]", { v6: '8da5cbff4191ef5b8da5cbff4191ef5b' }],
    ["mov x1, #0x1234\n movk x1, #0xabcd, lsl #16\n movk x1, #0x9876, lsl #48\n dup v6.16b, w1\n dup v7.4h, w1", { v6: '34343434343434343434343434343434', v7: '00000000000000001234123412341234', x1: '98760000abcd1234' }],
    ["mov x1, #0x1234\n movk x1, #0xabcd, lsl #16\n movk x1, #0x9876, lsl #48\n dup v6.2s, w1\n dup v7.2d, x1", { v6: '0000000000000000abcd1234abcd1234', v7: '98760000abcd123498760000abcd1234', x1: '98760000abcd1234' }],
    ["mov x1, #0x1234\n movk x1, #0xabcd, lsl #16\n movk x1, #0x9876, lsl #48\n ins v6.b[9], w1\n ins v7.h[3], w1\n ins v0.s[2], w1\n ins v1.d[1], x1", { v0: 'daf2184cabcd123422aa40e496562400', v1: '98760000abcd123433bb51f5a7673511', v6: '40587eb2f444340e8810a64afcbc8a66', v7: '51698fc30555b31f1234b75b0dcd9b77', x1: '98760000abcd1234' }],
    ["ins v6.b[0], v3.b[15]\n ins v7.h[7], v7.h[0]\n ins v0.s[1], v3.s[3]\n ins v1.d[0], v3.d[1]", { v0: 'daf2184c8ede3ca88da5cbff96562400', v1: 'eb03295d9fef4db98da5cbff4191ef5b', v6: '40587eb2f444a20e8810a64afcbc8a8d', v7: '9b778fc30555b31f9921b75b0dcd9b77' }],
    ["umov w0, v3.b[13]\n umov w1, v3.h[5]\n umov w2, v3.s[3]\n umov x3, v3.d[1]", { x0: '00000000000000cb', x1: '0000000000004191', x2: '000000008da5cbff', x3: '8da5cbff4191ef5b' }],
    ["smov w0, v3.b[13]\n smov w1, v4.h[1]\n smov x2, v3.s[3]\n smov x3, v4.b[3]", { x0: '00000000ffffffcb', x1: '0000000000007fff', x2: 'ffffffff8da5cbff', x3: '000000000000007f' }],
    ["smov x0, v4.h[5]\n smov x1, v4.s[2]\n smov w2, v4.b[2]", { x0: 'ffffffffffff8000', x1: 'ffffffff80000000', x2: '00000000ffffffff' }],
    ["mov b6, v3.b[7]\n mov h7, v3.h[7]\n mov s0, v3.s[3]\n mov d1, v3.d[1]", { v0: '0000000000000000000000008da5cbff', v1: '00000000000000008da5cbff4191ef5b', v6: '000000000000000000000000000000d5', v7: '00000000000000000000000000008da5' }],
  ]);
});

describe('AdvSIMD modified immediate', () => {
  table([
    ["movi v6.16b, #0xa5\n movi v7.8b, #0x3c", { v6: 'a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5', v7: '00000000000000003c3c3c3c3c3c3c3c' }],
    ["movi v6.4h, #0x12\n movi v7.8h, #0x34, lsl #8", { v6: '00000000000000000012001200120012', v7: '34003400340034003400340034003400' }],
    ["movi v6.2s, #0x56\n movi v7.4s, #0x78, lsl #24\n movi v0.4s, #0x9a, lsl #8\n movi v1.2s, #0xbc, lsl #16", { v0: '00009a0000009a0000009a0000009a00', v1: '000000000000000000bc000000bc0000', v6: '00000000000000000000005600000056', v7: '78000000780000007800000078000000' }],
    ["movi v6.4s, #0x12, msl #8\n movi v7.2s, #0x34, msl #16", { v6: '000012ff000012ff000012ff000012ff', v7: '00000000000000000034ffff0034ffff' }],
    ["movi d6, #0xff00ff0000ffff00\n movi v7.2d, #0x00ff00ff00ffff00", { v6: '0000000000000000ff00ff0000ffff00', v7: '00ff00ff00ffff0000ff00ff00ffff00' }],
    ["mvni v6.4s, #0x12, lsl #16\n mvni v7.4h, #0x34\n mvni v0.8h, #0x56, lsl #8\n mvni v1.2s, #0x78, msl #8\n mvni v2.4s, #0x9a, msl #16", { v0: 'a9ffa9ffa9ffa9ffa9ffa9ffa9ffa9ff', v1: '0000000000000000ffff8700ffff8700', v2: 'ff650000ff650000ff650000ff650000', v6: 'ffedffffffedffffffedffffffedffff', v7: '0000000000000000ffcbffcbffcbffcb' }],
    ["orr v6.4s, #0x12, lsl #8\n orr v7.4h, #0x34, lsl #8\n orr v0.2s, #0xff\n orr v1.8h, #0x80", { v0: '000000000000000022aa40ff965624ff', v1: 'eb8329dd9fef4db933bb51f5a7e73591', v6: '40587eb2f444b20e8810b64afcbc9a66', v7: '0000000000000000bd21b75b3dcdbf77' }],
    ["bic v6.4s, #0x12, lsl #8\n bic v7.4h, #0xff, lsl #8\n bic v0.2s, #0xff, lsl #24\n bic v1.8h, #0x80", { v0: '000000000000000000aa40e400562400', v1: 'eb03295d9f6f4d39333b5175a7673511', v6: '40586cb2f444a00e8810a44afcbc8866', v7: '00000000000000000021005b00cd0077' }],
    ["fmov v6.4s, #1.0\n fmov v7.2s, #-0.125\n fmov v0.2d, #31.0\n fmov v1.8h, #-2.5\n fmov v2.4h, #0.5", { v0: '403f000000000000403f000000000000', v1: 'c100c100c100c100c100c100c100c100', v2: '00000000000000003800380038003800', v6: '3f8000003f8000003f8000003f800000', v7: '0000000000000000be000000be000000' }],
  ]);
});

describe('AdvSIMD shift by immediate', () => {
  table([
    ["sshr v6.16b, v3.16b, #1\n ushr v7.8b, v3.8b, #8\n sshr v0.8b, v4.8b, #8", { v0: '000000000000000000ffff0000ffff00', v6: 'c6d2e5ff20c8f72dea2ef9cb2404ebd9', v7: '00000000000000000000000000000000' }],
    ["sshr v6.8h, v4.8h, #3\n ushr v7.4h, v4.4h, #16\n sshr v0.4s, v3.4s, #32\n ushr v1.2s, v3.2s, #31", { v0: 'ffffffff00000000ffffffff00000000', v1: '00000000000000000000000100000000', v6: '0ffffffff00000000fdff0200ffff000', v7: '00000000000000000000000000000000' }],
    ["sshr v6.2d, v5.2d, #64\n ushr v7.2d, v5.2d, #64\n sshr v0.2d, v3.2d, #13\n ushr v1.2d, v3.2d, #33", { v0: 'fffc6d2e5ffa0c8ffffeaaef9cba484e', v1: '0000000046d2e5ff000000006aaef9cb', v6: '0000000000000000ffffffffffffffff', v7: '00000000000000000000000000000000' }],
    ["ssra v6.16b, v3.16b, #3\n usra v7.8h, v4.8h, #5\n ssra v0.4s, v4.4s, #31\n usra v1.2d, v5.2d, #1", { v0: 'daf2184c8ede3ca722aa40e496562400', v1: '2b03295d9fef4db873bb51f5a7673511', v6: '314c77b1fc369f19821ba43c05bd845c', v7: '556897c20955b31f9d18bb6311cc9f77' }],
    ["srshr v6.16b, v4.16b, #1\n urshr v7.8h, v4.8h, #16\n srshr v0.4s, v4.4s, #32\n urshr v1.2s, v3.2s, #7", { v0: '00000000000000000000000000000000', v1: '000000000000000001aabbe7009213af', v6: '40000000c00000003fffc1014000c000', v7: '00000001000100000000000100000001' }],
    ["srshr v6.2d, v5.2d, #64\n urshr v7.2d, v5.2d, #64\n srshr v0.2d, v5.2d, #1\n urshr v1.2d, v3.2d, #32", { v0: '4000000000000000c000000000000000', v1: '000000008da5cbff00000000d55df397', v6: '00000000000000000000000000000000', v7: '00000000000000000000000000000001' }],
    ["srsra v6.8b, v4.8b, #2\n ursra v7.4s, v5.4s, #31\n srsra v0.2d, v5.2d, #63\n ursra v1.2d, v5.2d, #64", { v0: 'daf2184c8ede3ca922aa40e4965623ff', v1: 'eb03295d9fef4db933bb51f5a7673512', v6: '0000000000000000a810864a1cbc6a66', v7: '51698fc40555b3219921b75c0dcd9b77' }],
    ["shl v6.16b, v3.16b, #7\n shl v7.4h, v3.4h, #15\n shl v0.4s, v3.4s, #31\n shl v1.2d, v3.2d, #63\n shl v2.2d, v3.2d, #0", { v0: '80000000800000008000000080000000', v1: '80000000000000008000000000000000', v2: '8da5cbff4191ef5bd55df3974909d7b3', v6: '80808080808080808080808080808080', v7: '00000000000000008000800080008000' }],
    ["sli v6.16b, v3.16b, #3\n sli v7.8h, v3.8h, #0\n sli v0.2s, v3.2s, #31\n sli v1.2d, v3.2d, #37", { v0: '0000000000000000a2aa40e496562400', v1: '323deb7d9fef4db9213af675a7673511', v6: '68285efa0c8c7adea8e89eba4c4cba9e', v7: '8da5cbff4191ef5bd55df3974909d7b3' }],
    ["sri v6.16b, v3.16b, #3\n sri v7.8h, v3.8h, #16\n sri v0.4s, v3.4s, #32\n sri v1.2d, v3.2d, #64\n sri v2.2d, v3.2d, #5", { v2: 'fc6d2e5ffa0c8f7a46aaef9cba484ebd', v6: '515479bfe852bd0b9a0bbe52e9a19a76' }],
    ["sqshl v6.16b, v4.16b, #1\n sqshl v7.8h, v4.8h, #4\n sqshl v0.4s, v4.4s, #31\n sqshl v1.2d, v5.2d, #1", { v0: '7fffffff800000007fffffff7fffffff', v1: '7fffffffffffffff8000000000000000', v6: '7ffefefe800000007ffc80027ffe8000', v7: '7ffffff0800000007fff80007fff8000', fpsr: '08000000' }],
    ["sqshl v6.16b, v1.16b, #0\n sqshl v7.4s, v1.4s, #2", { v6: 'eb03295d9fef4db933bb51f5a7673511', v7: 'ac0ca574800000007fffffff80000000', fpsr: '08000000' }],
    ["uqshl v6.16b, v4.16b, #1\n uqshl v7.4h, v1.4h, #3\n uqshl v0.4s, v4.4s, #0\n uqshl v1.2d, v5.2d, #63\n uqshl v2.2d, v0.2d, #1", { v0: '7fffffff800000007efe81017fff8000', v1: 'ffffffffffffffffffffffffffffffff', v2: 'ffffffff00000000fdfd0202ffff0000', v6: 'feffffffff000000fcffff02feffff00', v7: '0000000000000000ffffffffffffffff', fpsr: '08000000' }],
    ["sqshlu v6.16b, v4.16b, #1\n sqshlu v7.8h, v4.8h, #0\n sqshlu v0.4s, v4.4s, #1\n sqshlu v1.2d, v5.2d, #1\n sqshlu v2.2d, v3.2d, #0", { v0: 'fffffffe00000000fdfd0202ffff0000', v1: 'fffffffffffffffe0000000000000000', v2: '00000000000000000000000000000000', v6: 'fe00000000000000fc000002fe000000', v7: '7fff0000000000007efe00007fff0000', fpsr: '08000000' }],
    ["sshr d6, d3, #64\n ushr d7, d3, #3\n ssra d0, d5, #1\n usra d1, d5, #64\n srshr d2, d3, #17", { v0: '0000000000000000e2aa40e496562400', v1: '000000000000000033bb51f5a7673511', v2: '0000000000000000ffffeaaef9cba485', v6: '0000000000000000ffffffffffffffff', v7: '00000000000000001aabbe72e9213af6' }],
    ["urshr d6, d3, #1\n srsra d7, d4, #2\n ursra d0, d5, #64\n shl d1, d3, #40\n sli d2, d3, #8", { v0: '000000000000000022aa40e496562401', v1: '000000000000000009d7b30000000000', v2: '00000000000000005df3974909d7b322', v6: '00000000000000006aaef9cba484ebda', v7: '0000000000000000b8e1579b6dcd7b77' }],
    ["sri d6, d3, #8\n sri d7, d3, #64", { v6: '000000000000000088d55df3974909d7', v7: '00000000000000009921b75b0dcd9b77' }],
    ["sqshl b6, b4, #1\n sqshl h7, h4, #15\n sqshl s0, s4, #3\n sqshl d1, d5, #63", { v0: '0000000000000000000000007fffffff', v1: '00000000000000008000000000000000', v6: '00000000000000000000000000000000', v7: '00000000000000000000000000008000', fpsr: '08000000' }],
    ["uqshl b6, b3, #7\n uqshl h7, h3, #0\n uqshl s0, s3, #1\n uqshl d1, d3, #1", { v0: '0000000000000000000000009213af66', v1: '0000000000000000ffffffffffffffff', v6: '000000000000000000000000000000ff', v7: '0000000000000000000000000000d7b3', fpsr: '08000000' }],
    ["sqshlu b6, b4, #1\n sqshlu h7, h5, #0\n sqshlu s0, s3, #1\n sqshlu d1, d2, #2", { v0: '0000000000000000000000009213af66', v1: '0000000000000000ffffffffffffffff', v6: '00000000000000000000000000000000', v7: '00000000000000000000000000000000', fpsr: '08000000' }],
    ["shrn v6.8b, v3.8h, #4\n shrn2 v6.16b, v4.8h, #8\n shrn v7.4h, v3.4s, #16\n shrn v0.2s, v3.2d, #32\n shrn2 v0.4s, v5.2d, #1", { v0: 'ffffffff000000008da5cbffd55df397', v6: '7fff80007e817f80dabf19f55539907b', v7: '00000000000000008da54191d55d4909' }],
    ["rshrn v6.8b, v3.8h, #1\n rshrn2 v6.16b, v4.8h, #8\n rshrn v7.4h, v4.4s, #16\n rshrn2 v7.8h, v5.4s, #3\n rshrn v0.2s, v5.2d, #32\n rshrn2 v0.4s, v3.2d, #31", { v0: '1b4b97ffaabbe72f8000000080000000', v6: '800080007f818080d300c9aeafcc85da', v7: '0000000000000000800080007eff8000' }],
    ["sqshrn v6.8b, v4.8h, #1\n sqshrn2 v6.16b, v3.8h, #8\n sqshrn v7.4h, v4.4s, #16\n sqshrn v0.2s, v5.2d, #1\n sqshrn2 v0.4s, v5.2d, #32", { v0: '7fffffff800000007fffffff80000000', v6: '8dcb41efd5f349d77fff80007f807f80', v7: '00000000000000007fff80007efe7fff', fpsr: '08000000' }],
    ["sqrshrn v6.8b, v4.8h, #8\n sqrshrn v7.4h, v5.4s, #16\n sqrshrn2 v7.8h, v4.4s, #1\n sqrshrn v0.2s, v5.2d, #32\n sqrshrn2 v0.4s, v3.2d, #20", { v0: '80000000800000007fffffff80000000', v6: '00000000000000007f0080007f817f80', v7: '7fff80007fff7fff7fff000080000000', fpsr: '08000000' }],
    ["uqshrn v6.8b, v4.8h, #1\n uqshrn2 v6.16b, v3.8h, #8\n uqshrn v7.4h, v4.4s, #16\n uqshrn v0.2s, v5.2d, #31\n uqshrn2 v0.4s, v5.2d, #32", { v0: '7fffffff80000000ffffffffffffffff', v6: '8dcb41efd5f349d7ffffff00ffffffff', v7: '00000000000000007fff80007efe7fff', fpsr: '08000000' }],
    ["uqrshrn v6.8b, v4.8h, #8\n uqrshrn v7.4h, v5.4s, #16\n uqrshrn2 v7.8h, v4.4s, #1\n uqrshrn v0.2s, v5.2d, #32\n uqrshrn2 v0.4s, v3.2d, #32", { v0: '8da5cbffd55df3978000000080000000', v6: '000000000000000080ff80007f818080', v7: 'ffffffffffffffff8000ffff80000000', fpsr: '08000000' }],
    ["sqshrun v6.8b, v4.8h, #1\n sqshrun2 v6.16b, v3.8h, #8\n sqshrun v7.4h, v4.4s, #16\n sqshrun v0.2s, v5.2d, #31\n sqshrun2 v0.4s, v3.2d, #30", { v0: '0000000000000000ffffffff00000000', v6: '0000410000004900ff000000ff00ff00', v7: '00000000000000007fff00007efe7fff', fpsr: '08000000' }],
    ["sqrshrun v6.8b, v4.8h, #7\n sqrshrun v7.4h, v5.4s, #16\n sqrshrun2 v7.8h, v4.4s, #1\n sqrshrun v0.2s, v5.2d, #32\n sqrshrun2 v0.4s, v3.2d, #32", { v0: '00000000000000008000000000000000', v6: '0000000000000000ff000000fe00ff00', v7: 'ffff0000ffffffff8000000000000000', fpsr: '08000000' }],
    ["sqshrn b6, h4, #1\n sqshrn h7, s3, #8\n sqshrn s0, d5, #32\n sqrshrn b1, h3, #3\n sqrshrn s2, d3, #31", { v0: '00000000000000000000000080000000', v1: '00000000000000000000000000000080', v2: '000000000000000000000000aabbe72f', v6: '00000000000000000000000000000080', v7: '00000000000000000000000000007fff', fpsr: '08000000' }],
    ["uqshrn b6, h4, #1\n uqshrn h7, s3, #8\n uqshrn s0, d5, #32\n uqrshrn b1, h3, #3\n uqrshrn s2, d3, #31", { v0: '00000000000000000000000080000000', v1: '000000000000000000000000000000ff', v2: '000000000000000000000000ffffffff', v6: '000000000000000000000000000000ff', v7: '0000000000000000000000000000ffff', fpsr: '08000000' }],
    ["sqshrun b6, h4, #1\n sqshrun h7, s3, #8\n sqshrun s0, d5, #32\n sqrshrun b1, h4, #8\n sqrshrun s2, d3, #31", { v0: '00000000000000000000000000000000', v1: '00000000000000000000000000000000', v2: '00000000000000000000000000000000', v6: '00000000000000000000000000000000', v7: '0000000000000000000000000000ffff', fpsr: '08000000' }],
    ["sshll v6.8h, v4.8b, #0\n sshll2 v7.8h, v3.16b, #7\n sshll v0.4s, v4.4h, #15\n sshll2 v1.2d, v4.4s, #31\n sxtl v2.2d, v3.2s", { v0: '3f7f0000c08080003fff8000c0000000', v1: '3fffffff80000000c000000000000000', v2: 'ffffffffd55df397000000004909d7b3', v6: '007efffeff810001007fffffff800000', v7: 'c680d280e580ff802080c880f7802d80' }],
    ["ushll v6.8h, v4.8b, #0\n ushll2 v7.8h, v3.16b, #7\n ushll v0.4s, v4.4h, #15\n ushll2 v1.2d, v4.4s, #31\n uxtl2 v2.4s, v3.8h", { v0: '3f7f0000408080003fff800040000000', v1: '3fffffff800000004000000000000000', v2: '00008da50000cbff000041910000ef5b', v6: '007e00fe00810001007f00ff00800000', v7: '4680528065807f802080488077802d80' }],
    ["shrn v3.8b, v3.8h, #4\n sshll2 v4.2d, v4.4s, #3\n sqshrn2 v5.4s, v5.2d, #7", { v3: '0000000000000000dabf19f55539907b', v4: '00000003fffffff8fffffffc00000000', v5: '7fffffff800000008000000000000000', fpsr: '08000000' }],
  ]);
});

describe('AdvSIMD permute, EXT, TBL/TBX', () => {
  table([
    ["zip1 v6.16b, v1.16b, v3.16b\n zip2 v7.8b, v1.8b, v3.8b\n zip1 v0.4h, v1.4h, v3.4h\n zip2 v2.2d, v1.2d, v3.2d", { v0: '00000000000000004909a767d7b33511', v2: '8da5cbff4191ef5beb03295d9fef4db9', v6: 'd5335dbbf35197f549a70967d735b311', v7: '0000000000000000d5335dbbf35197f5' }],
    ["zip2 v6.8h, v1.8h, v3.8h\n zip1 v7.2s, v1.2s, v3.2s\n zip2 v0.4s, v1.4s, v3.4s\n zip1 v2.2d, v1.2d, v2.2d", { v0: '8da5cbffeb03295d4191ef5b9fef4db9', v2: '44cc6206b878462233bb51f5a7673511', v6: '8da5eb03cbff295d41919fefef5b4db9', v7: '00000000000000004909d7b3a7673511' }],
    ["uzp1 v6.16b, v1.16b, v3.16b\n uzp2 v7.8b, v1.8b, v3.8b\n uzp1 v0.4h, v1.4h, v3.4h\n uzp2 v2.2d, v1.2d, v3.2d", { v0: '0000000000000000f397d7b351f53511', v2: '8da5cbff4191ef5beb03295d9fef4db9', v6: 'a5ff915b5d9709b3035defb9bbf56711', v7: '0000000000000000d5f349d73351a735' }],
    ["uzp2 v6.8h, v1.8h, v3.8h\n uzp1 v7.2s, v1.2s, v3.2s\n uzp2 v0.4s, v0.4s, v3.4s", { v0: '8da5cbffd55df397daf2184c22aa40e4', v6: '8da54191d55d4909eb039fef33bba767', v7: '00000000000000004909d7b3a7673511' }],
    ["trn1 v6.16b, v1.16b, v3.16b\n trn2 v7.8b, v1.8b, v3.8b\n trn1 v0.4h, v1.4h, v3.4h\n trn2 v2.2d, v1.2d, v3.2d", { v0: '0000000000000000f39751f5d7b33511', v2: '8da5cbff4191ef5beb03295d9fef4db9', v6: 'a503ff5d91ef5bb95dbb97f50967b311', v7: '0000000000000000d533f35149a7d735' }],
    ["trn2 v6.8h, v1.8h, v3.8h\n trn1 v7.2s, v1.2s, v3.2s\n trn2 v0.4s, v1.4s, v0.4s", { v0: 'daf2184ceb03295d22aa40e433bb51f5', v6: '8da5eb0341919fefd55d33bb4909a767', v7: '00000000000000004909d7b3a7673511' }],
    ["ext v6.16b, v1.16b, v3.16b, #3\n ext v7.8b, v1.8b, v3.8b, #7\n ext v0.16b, v0.16b, v3.16b, #15\n ext v2.8b, v1.8b, v3.8b, #0", { v0: 'a5cbff4191ef5bd55df3974909d7b3da', v2: '000000000000000033bb51f5a7673511', v6: '09d7b3eb03295d9fef4db933bb51f5a7', v7: '00000000000000005df3974909d7b333' }],
    ["movi v6.16b, #0x11\n movi v7.16b, #0x03\n tbl v0.16b, {v1.16b}, v4.16b\n tbl v2.8b, {v6.16b, v7.16b}, v3.8b", { v0: '00000000001111110000003500000011', v2: '00000000000000000000000000110000', v6: '11111111111111111111111111111111', v7: '03030303030303030303030303030303' }],
    ["mov x1, #0x1f10\n movk x1, #0x3f2f, lsl #16\n movk x1, #0x0f30, lsl #32\n movk x1, #0x4001, lsl #48\n dup v6.2d, x1\n tbl v7.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v6.16b\n tbx v4.16b, {v1.16b, v2.16b, v3.16b}, v6.16b\n tbx v5.8b, {v2.16b}, v6.8b", { v4: '7f35ebff808dfc227e35eb017f8dfc22', v5: '00000000000000008046fc0000000000', v6: '40010f303f2f1f1040010f303f2f1f10', v7: '0024dab38dfceb110024dab38dfceb11', x1: '40010f303f2f1f10' }],
    ["movi v30.16b, #0x5a\n movi v31.2d, #0xff0000ff00ffff00\n mov x1, #0x1f10\n movk x1, #0x3f2f, lsl #16\n movk x1, #0x0f30, lsl #32\n movk x1, #0x4001, lsl #48\n dup v6.2d, x1\n tbl v7.16b, {v30.16b, v31.16b, v0.16b}, v6.16b", { v6: '40010f303f2f1f1040010f303f2f1f10', v7: '005a5a0000daff00005a5a0000daff00', x1: '40010f303f2f1f10' }],
  ]);
});

describe('AdvSIMD two-register miscellaneous (integer)', () => {
  table([
    ["rev64 v6.16b, v3.16b\n rev64 v7.4h, v3.4h\n rev64 v0.4s, v3.4s\n rev32 v1.16b, v3.16b\n rev32 v2.4h, v3.4h", { v0: '4191ef5b8da5cbff4909d7b3d55df397', v1: 'ffcba58d5bef914197f35dd5b3d70949', v2: '0000000000000000f397d55dd7b34909', v6: '5bef9141ffcba58db3d7094997f35dd5', v7: '0000000000000000d7b34909f397d55d' }],
    ["rev16 v6.16b, v3.16b\n rev16 v7.8b, v3.8b\n rev64 v0.8h, v0.8h", { v0: '3ca88ede184cdaf22400965640e422aa', v6: 'a58dffcb91415bef5dd597f30949b3d7', v7: '00000000000000005dd597f30949b3d7' }],
    ["saddlp v6.8h, v4.16b\n uaddlp v7.4h, v4.8b\n saddlp v0.2d, v4.4s\n uaddlp v1.1d, v4.2s\n saddlp v2.4s, v3.8h", { v0: 'ffffffffffffffff00000000fefe0101', v1: '000000000000000000000000fefe0101', v2: 'ffff59a4000030ecffffc8f4000020bc', v6: '007efffeff800000007cff82007eff80', v7: '0000000000000000017c0082017e0080' }],
    ["sadalp v6.8h, v4.16b\n uadalp v7.4h, v4.8b\n sadalp v0.2d, v4.4s\n uadalp v1.1d, v4.2s\n uadalp v2.4s, v3.8h", { v0: 'daf2184c8ede3ca722aa40e595542501', v1: '000000000000000033bb51f6a6653612', v2: 'fc159412b0018fb644ce2afab87966de', v6: '40d67eb0f3c4a20e888ca5ccfd3a89e6', v7: '00000000000000009a9db7dd0f4b9bf7' }],
    ["suqadd v6.16b, v4.16b\n usqadd v7.8h, v4.8h\n suqadd v0.4s, v4.4s\n usqadd v1.2d, v5.2d\n suqadd v5.2d, v4.2d", { v0: '5af2184b0ede3ca87fffffff1655a400', v1: 'ffffffffffffffff0000000000000000', v5: '7ffffffffffffffffefe81017fff8000', v6: '7f7f7f7f7444a20e067f274b7b7f0a66', v7: 'd1688fc20000b31fffff385c8dcc1b77', fpsr: '08000000' }],
    ["usqadd v6.16b, v3.16b\n suqadd v7.4h, v3.4h\n usqadd v4.4s, v5.4s\n suqadd v3.2d, v5.2d", { v3: '0da5cbff4191ef5a555df3974909d7b3', v4: 'fffffffe7fffffff000000007fff8000', v6: '000049b1ff0091695d6d9900ffc56119', v7: '00000000000000006e7e7fff56d6732a', fpsr: '08000000' }],
    ["suqadd b6, b4\n usqadd h7, h4\n suqadd s0, s4\n usqadd d1, d5\n suqadd d5, d4", { v0: '0000000000000000000000001655a400', v1: '00000000000000000000000000000000', v5: '0000000000000000fefe81017fff8000', v6: '00000000000000000000000000000066', v7: '00000000000000000000000000001b77', fpsr: '08000000' }],
    ["cls v6.16b, v4.16b\n clz v7.8h, v4.8h\n cls v0.4s, v4.4s\n clz v1.2s, v5.2s\n cls v2.4h, v3.4h", { v0: '00000000000000000000000000000000', v1: '00000000000000000000000000000020', v2: '00000000000000000001000300000001', v6: '00070707000707070006000600070007', v7: '00010000000000100001000000010000' }],
    ["cnt v6.16b, v3.16b\n cnt v7.8b, v4.8b\n not v0.16b, v3.16b\n not v1.8b, v3.8b\n rbit v2.16b, v3.16b", { v0: '725a3400be6e10a42aa20c68b6f6284c', v1: '00000000000000002aa20c68b6f6284c', v2: 'b1a5d3ff8289f7daabbacfe99290ebcd', v6: '04040508020307050505060503020605', v7: '00000000000000000607020107080100' }],
    ["sqabs v6.16b, v4.16b\n sqneg v7.8h, v4.8h\n sqabs v0.4s, v4.4s\n sqneg v1.2d, v5.2d\n sqabs v2.2d, v5.2d", { v0: '7fffffff7fffffff7efe81017fff8000', v1: '80000000000000017fffffffffffffff', v2: '7fffffffffffffff7fffffffffffffff', v6: '7f0101017f0000007e027f017f017f00', v7: '800100017fff000081027eff80017fff', fpsr: '08000000' }],
    ["abs v6.16b, v4.16b\n neg v7.8h, v4.8h\n abs v0.2s, v4.2s\n neg v1.2d, v5.2d\n abs v2.2d, v3.2d", { v0: '00000000000000007efe81017fff8000', v1: '80000000000000018000000000000000', v2: '725a3400be6e10a52aa20c68b6f6284d', v6: '7f010101800000007e027f017f018000', v7: '800100018000000081027eff80018000' }],
    ["sqabs b6, b4\n sqneg h7, h4\n sqabs s0, s4\n sqneg d1, d5\n abs d2, d3\n neg d3, d4", { v0: '0000000000000000000000007fff8000', v1: '00000000000000007fffffffffffffff', v2: '00000000000000002aa20c68b6f6284d', v3: '000000000000000081017efe80008000', v6: '00000000000000000000000000000000', v7: '00000000000000000000000000007fff', fpsr: '08000000' }],
    ["cmgt v6.16b, v4.16b, #0\n cmge v7.8h, v4.8h, #0\n cmeq v0.4s, v4.4s, #0\n cmle v1.2d, v5.2d, #0\n cmlt v2.4h, v4.4h, #0", { v0: '00000000000000000000000000000000', v1: '0000000000000000ffffffffffffffff', v2: '00000000000000000000ffff0000ffff', v6: 'ff00000000000000ff0000ffff000000', v7: 'ffff00000000ffffffff0000ffff0000' }],
    ["cmeq v6.16b, v4.16b, #0\n cmeq v7.8b, v5.8b, #0\n cmgt v0.2d, v5.2d, #0\n cmge v1.2d, v5.2d, #0\n cmlt v2.2d, v3.2d, #0", { v0: 'ffffffffffffffff0000000000000000', v1: 'ffffffffffffffff0000000000000000', v2: 'ffffffffffffffffffffffffffffffff', v6: '0000000000ffffff00000000000000ff', v7: '000000000000000000ffffffffffffff' }],
    ["cmgt d6, d5, #0\n cmge d7, d4, #0\n cmeq d0, d5, #0\n cmle d1, d3, #0\n cmlt d2, d3, #0", { v0: '00000000000000000000000000000000', v1: '0000000000000000ffffffffffffffff', v2: '0000000000000000ffffffffffffffff', v6: '00000000000000000000000000000000', v7: '0000000000000000ffffffffffffffff' }],
    ["xtn v6.8b, v3.8h\n xtn2 v6.16b, v4.8h\n xtn v7.4h, v3.4s\n xtn v0.2s, v3.2d\n xtn2 v0.4s, v5.2d", { v0: 'ffffffff000000004191ef5b4909d7b3', v6: 'ffff0000fe01ff00a5ff915b5d9709b3', v7: '0000000000000000cbffef5bf397d7b3' }],
    ["sqxtn v6.8b, v4.8h\n sqxtn2 v6.16b, v3.8h\n sqxtn v7.4h, v4.4s\n sqxtn v0.2s, v5.2d\n sqxtn2 v0.4s, v4.2d", { v0: '7fffffff7fffffff7fffffff80000000', v6: '80807f8080807f807fff80007f807f80', v7: '00000000000000007fff80007fff7fff', fpsr: '08000000' }],
    ["uqxtn v6.8b, v4.8h\n uqxtn2 v6.16b, v3.8h\n uqxtn v7.4h, v4.4s\n uqxtn v0.2s, v5.2d\n uqxtn2 v0.4s, v1.2d", { v0: 'ffffffffffffffffffffffffffffffff', v6: 'ffffffffffffffffffffff00ffffffff', v7: '0000000000000000ffffffffffffffff', fpsr: '08000000' }],
    ["sqxtun v6.8b, v4.8h\n sqxtun2 v6.16b, v3.8h\n sqxtun v7.4h, v4.4s\n sqxtun v0.2s, v5.2d\n sqxtun2 v0.4s, v4.2d", { v0: 'ffffffffffffffffffffffff00000000', v6: '0000ff000000ff00ff000000ff00ff00', v7: '0000000000000000ffff0000ffffffff', fpsr: '08000000' }],
    ["sqxtn b6, h4\n uqxtn h7, s3\n sqxtun s0, d5\n sqxtun b1, h3\n uqxtn s2, d4", { v0: '00000000000000000000000000000000', v1: '00000000000000000000000000000000', v2: '000000000000000000000000ffffffff', v6: '00000000000000000000000000000080', v7: '0000000000000000000000000000ffff', fpsr: '08000000' }],
    ["shll v6.8h, v3.8b, #8\n shll2 v7.4s, v3.8h, #16\n shll v0.2d, v3.2s, #32\n shll2 v3.2d, v3.4s, #32", { v0: 'd55df397000000004909d7b300000000', v3: '8da5cbff000000004191ef5b00000000', v6: 'd5005d00f300970049000900d700b300', v7: '8da50000cbff000041910000ef5b0000' }],
  ]);
});

describe('Crypto AES and SHA, one instruction at a time', () => {
  table([
    ["aese v6.16b, v3.16b\n aesd v7.16b, v4.16b\n aesmc v0.16b, v5.16b\n aesimc v1.16b, v3.16b\n aesmc v2.16b, v2.16b", { v0: 'e4647f7fffffffff1b9b808000000000', v1: '967ae8189246f444049ee197f74821ba', v2: '7f63da7a605fc6dd2c2bc92233479e4e', v6: 'd5e34ce34cd5d5fcd554e3c1bd03fc03', v7: '1eef4b6dc3a124cb67354446b0edd002' }],
    ["sha1c q6, s3, v4.4s\n sha1p q7, s1, v5.4s\n sha1m q0, s2, v3.4s\n sha1h s1, s3", { v0: 'd5d02db449d1469dbe940ab88ea6bc83', v1: '000000000000000000000000d24275ec', v6: '0838e7d35f03c450984decd7b6e9e85d', v7: '4b8e0bdea1cff129f8516c608038a399' }],
    ["sha1su0 v6.4s, v3.4s, v4.4s\n sha1su1 v7.4s, v3.4s\n sha1su0 v0.4s, v0.4s, v0.4s", { v0: '22aa40e496562400daf2184c8ede3ca8', v6: 'eafa72da3d4d75bdb6b659f97707a868', v7: 'c092bc0511e0f1c1b160b001b120d1c1' }],
    ["sha256h q6, q3, v4.4s\n sha256h2 q7, q2, v5.4s\n sha256su0 v0.4s, v3.4s\n sha256su1 v1.4s, v3.4s, v4.4s\n sha256h q2, q2, v2.4s", { v0: 'f552136793d6ce2df296993ff27f3837', v1: '5195b88440f32268756cf14f7ce578a8', v2: '55c6795302231faba3ce5ad205eee0d8', v6: '292c2677f368c6173ec9cdba064c77dc', v7: 'aaaab1e44a46b72c6575970654a79558' }],
    ["sha512h q6, q3, v4.2d\n sha512h2 q7, q2, v5.2d\n sha512su0 v0.2d, v3.2d\n sha512su1 v1.2d, v3.2d, v4.2d\n sha512h q2, q2, v2.2d", { v0: '33c3382bac3e2e49e6c05af32952a011', v1: 'bdf6e2be68e6230c460664d6d27f28f2', v2: '9bd9abefe2600ae8d43d23069a703b1d', v6: '1578524a3614b16849b41909137c5fb5', v7: '9635f1d1decdf94168291ae872999f42' }],
    [".arch armv8.2-a+sha3\n eor3 v6.16b, v3.16b, v4.16b, v5.16b\n bcax v7.16b, v3.16b, v4.16b, v5.16b\n rax1 v0.2d, v3.2d, v5.2d\n xar v1.2d, v3.2d, v4.2d, #13\n xar v2.2d, v2.2d, v5.2d, #0", { v0: '725a3400be6e10a5d55df3974909d7b2', v1: '7adf92d1a0060c8fbd9d5d1b94b1b7b2', v2: '83ebc5914fffa135c4cc6206b8784622', v6: '8da5cbff3e6e10a42ba3729636f657b3', v7: '8da5cbff4191ef5baba3729636f657b3' }],
  ]);
});

/** The encoding of one instruction with bits [hi:lo] replaced by v. */
function patched(source: string, hi: number, lo: number, v: number): number {
  const mask = ((2 ** (hi - lo + 1) - 1) * 2 ** lo) >>> 0;
  return ((asm(source)[0] & ~mask) | ((v * 2 ** lo) & mask)) >>> 0;
}

describe('AdvSIMD data: reserved encodings are UNDEFINED', () => {
  it('rejects reserved size, Q and field combinations', () => {
    expectUndefined([
      patched('dup v0.16b, v1.b[0]', 20, 16, 0x10), // imm5 with no size bit
      patched('dup v0.2d, v1.d[0]', 30, 30, 0), // 64-bit lanes need Q=1
      patched('dup v0.2d, x1', 30, 30, 0),
      patched('umov x0, v1.d[0]', 30, 30, 0), // UMOV Wd of a D lane
      patched('umov w0, v1.s[0]', 30, 30, 1),
      patched('smov w0, v1.h[0]', 20, 16, 4), // SMOV Wd of an S lane
      patched('smov x0, v1.s[0]', 20, 16, 8),
      patched('dup v0.8b, v1.b[0]', 14, 11, 2), // copy imm4 unallocated
      patched('fmov v0.2d, #1.0', 30, 30, 0),
      patched('fmov v0.8h, #1.0', 15, 12, 14), // o2=1 only with cmode 1111
      patched('fmov v0.8h, #1.0', 29, 29, 1),
      patched('sshr v0.2d, v1.2d, #1', 30, 30, 0),
      patched('shrn v0.2s, v1.2d, #1', 22, 22, 1), // narrowing from 128-bit lanes
      patched('sshll v0.2d, v1.2s, #1', 22, 22, 1),
      patched('sshr d0, d1, #1', 22, 19, 4), // scalar SSHR only on D
      patched('zip1 v0.2d, v1.2d, v2.2d', 30, 30, 0),
      patched('ext v0.8b, v1.8b, v2.8b, #0', 14, 11, 8),
      patched('ext v0.16b, v1.16b, v2.16b, #0', 23, 22, 1),
      patched('cnt v0.8b, v1.8b', 23, 22, 1),
      patched('not v0.8b, v1.8b', 23, 22, 2),
      patched('rev32 v0.8b, v1.8b', 23, 22, 2),
      patched('rev16 v0.8b, v1.8b', 23, 22, 1),
      patched('rev64 v0.16b, v1.16b', 23, 22, 3),
      patched('cls v0.16b, v1.16b', 23, 22, 3),
      patched('xtn v0.8b, v1.8h', 23, 22, 3),
      patched('saddlp v0.4h, v1.8b', 23, 22, 3),
      patched('abs d0, d1', 23, 22, 2),
      patched('cmeq v0.2d, v1.2d, #0', 30, 30, 0),
      patched('sqabs v0.2d, v1.2d', 30, 30, 0),
      patched('shll v0.8h, v1.8b, #8', 23, 22, 3),
    ]);
  });

  it('still decodes the unpatched forms', () => {
    const m = machine(['dup v0.16b, v1.b[0]', 'fmov v0.8h, #1.0', 'ext v0.8b, v1.8b, v2.8b, #7', 'cnt v0.8b, v1.8b'].join('\n'));
    expect(m.run()).toBe(0x3c);
  });
});
