// AdvSIMD copy, modified immediate and shift by immediate: each case runs
// from the same register state and is compared with what qemu-aarch64 7.2
// (cpu max) printed for the same instructions (registers that changed only).

import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../board/aarch64/cpu';
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
