// MTE pointer arithmetic (SUBP, SUBPS, IRG, GMI) and XPACI/XPACD: expected
// values recorded from qemu-aarch64 7.2 (-cpu max, Linux user defaults).

import { describe, expect, it } from 'vitest';
import { Snippet } from './dp-register-harness';

// a, b, then IRG a,b; GMI a,b; SUBP a,b; NZCV after SUBPS a,b; XPACI a.
const ROWS: [bigint, bigint, bigint, bigint, bigint, number, bigint][] = [
  [0x0123456789abcdefn, 0xff00ffffffff1234n, 0x0023456789abcdefn, 0xff00ffffffff1236n, 0x0022456789acbbbbn, 0x2, 0x0100456789abcdefn],
  [0xff00ffffffff1234n, 0x0080000000001234n, 0xf000ffffffff1234n, 0x0080000000009234n, 0x0080ffffffff0000n, 0x0, 0xff00ffffffff1234n],
  [0x0080000000001234n, 0x00ffffffffffffffn, 0x0080000000001234n, 0x00ffffffffffffffn, 0xff80000000001235n, 0x8, 0xffff000000001234n],
  [0x00ffffffffffffffn, 0x8000000000000000n, 0x00ffffffffffffffn, 0x8000000000000001n, 0xffffffffffffffffn, 0xa, 0xffffffffffffffffn],
  [0x8000000000000000n, 0xf07f000000000000n, 0x8000000000000000n, 0xf07f000000000001n, 0xff81000000000000n, 0x8, 0x8000000000000000n],
  [0xf07f000000000000n, 0x0123456789abcdefn, 0xf07f000000000000n, 0x0123456789abcdefn, 0x005bba9876543211n, 0x2, 0xf000000000000000n],
];

describe('MTE pointer instructions and XPAC', () => {
  const s = new Snippet(`
    .arch armv8.5-a+memtag
    irg x2, x0, x1
    gmi x3, x0, x1
    subp x4, x0, x1
    subps x5, x0, x1
    mov x6, x0
    xpaci x6
    mov x7, x0
    xpacd x7
  `);
  it('matches qemu', () => {
    for (const [a, b, irg, gmi, subp, nzcv, xpac] of ROWS) {
      const out = s.run({ 0: a, 1: b });
      const ctx = a.toString(16);
      expect(out.x(2), ctx).toBe(irg);
      expect(out.x(3), ctx).toBe(gmi);
      expect(out.x(4), ctx).toBe(subp);
      expect(out.x(5), ctx).toBe(subp);
      expect(out.nzcv, ctx).toBe(nzcv);
      expect(out.x(6), ctx).toBe(xpac);
      expect(out.x(7), ctx).toBe(xpac);
    }
  });

  it('keeps NZCV for SUBP and uses SP for register 31 operands', () => {
    const t = new Snippet('.arch armv8.5-a+memtag\nsubp x2, sp, x1\ncmpp x1, sp\nirg sp, x1\nmov x3, sp');
    const out = t.run({ 1: 0x100n, 31: 0x0500000000001000n }, 0x4);
    expect(out.x(2)).toBe(0xf00n);
    expect(out.nzcv).toBe(0x8); // 0x100 - 0x1000 < 0, borrow
    expect(out.x(3)).toBe(0x100n);
  });
});
