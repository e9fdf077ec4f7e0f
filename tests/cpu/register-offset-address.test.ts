// Register-offset addresses (LSL/SXTX forms) are 64-bit sums in int32 halves:
// carries between the halves, bits shifted across them, and wrap-around at
// 2^64 must all land on the architectural address.

import { describe, expect, it } from 'vitest';
import { Ec } from '../../board/aarch64/exception-syndrome';
import { DATA, machine } from './machine';

const VALUE = 0x1122334455667788n;

describe('register-offset addressing', () => {
  it('adds base and index with a carry out of the low half and a wrap of the high half', () => {
    const m = machine(
      `
      ldr x1, [x2, x3]
      ldrb w6, [x2, x3]
      ldr x4, [x2, x5, lsl #3]
      ldr x7, [x2, x5, sxtx #3]
      str x1, [x2, x8, lsl #3]
      `,
      (cpu) => {
        cpu.state.setX(2, 0x8000_0000_c000_0000n);
        cpu.state.setX(3, 0x7fff_ffff_8010_0000n); // x2 + x3 = DATA (mod 2^64)
        cpu.state.setX(5, 0x0fff_ffff_f002_0000n); // x2 + (x5 << 3) = DATA: bits 31:29 of the low half move up
        cpu.state.setX(8, 0x0fff_ffff_f002_0001n); // DATA + 8
        const bytes = new Uint8Array(8);
        new DataView(bytes.buffer).setBigUint64(0, VALUE, true);
        cpu.phys.writeBytes(DATA, bytes);
      },
    );
    expect(m.run()).toBe(Ec.Brk);
    expect(m.x(1)).toBe(VALUE);
    expect(m.x(6)).toBe(0x88n);
    expect(m.x(4)).toBe(VALUE);
    expect(m.x(7)).toBe(VALUE);
    expect(new DataView(m.phys.readBytes(DATA + 8, 8).buffer).getBigUint64(0, true)).toBe(VALUE);
  });
});
