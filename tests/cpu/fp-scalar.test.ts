import { describe, expect, it } from 'vitest';
import { f32, f64, getV, setV } from './fp-helpers';
import { machine } from './machine';

const BRK = 0x3c;
const UNDEF = 0x00;
const ONES = (1n << 128n) - 1n;

describe('scalar FP arithmetic', () => {
  it('adds, subtracts, multiplies and divides doubles and zeroes the upper half', () => {
    const m = machine(
      `
      fadd d2, d0, d1
      fsub d3, d0, d1
      fmul d4, d0, d1
      fdiv d5, d0, d1
      fnmul d6, d0, d1
      mrs x9, fpsr
    `,
      (cpu) => {
        setV(cpu, 0, f64(1.5));
        setV(cpu, 1, f64(-0.25));
        for (let i = 2; i < 7; i++) setV(cpu, i, ONES);
      },
    );
    expect(m.run()).toBe(BRK);
    expect(getV(m.cpu, 2)).toBe(f64(1.25));
    expect(getV(m.cpu, 3)).toBe(f64(1.75));
    expect(getV(m.cpu, 4)).toBe(f64(-0.375));
    expect(getV(m.cpu, 5)).toBe(f64(-6));
    expect(getV(m.cpu, 6)).toBe(f64(0.375));
    expect(m.x(9)).toBe(0n); // all exact
  });

  it('raises IXC, DZC, IOC and OFC in FPSR and keeps them (cumulative)', () => {
    const m = machine(
      `
      fdiv s2, s0, s1
      mrs x1, fpsr
      fdiv s3, s0, s4
      mrs x2, fpsr
      msr fpsr, xzr
      fsub s5, s6, s6
      mrs x3, fpsr
      fmul d7, d8, d8
      mrs x4, fpsr
    `,
      (cpu) => {
        setV(cpu, 0, f32(1));
        setV(cpu, 1, f32(3));
        setV(cpu, 4, 0n);
        setV(cpu, 6, 0x7f800000n); // +inf
        setV(cpu, 8, f64(1e300));
      },
    );
    m.run();
    expect(getV(m.cpu, 2)).toBe(f32(1 / 3));
    expect(m.x(1)).toBe(0x10n);
    expect(getV(m.cpu, 3)).toBe(0x7f800000n);
    expect(m.x(2)).toBe(0x12n);
    expect(getV(m.cpu, 5)).toBe(0x7fc00000n); // default NaN
    expect(m.x(3)).toBe(0x1n);
    expect(getV(m.cpu, 7)).toBe(0x7ff0000000000000n);
    expect(m.x(4)).toBe(0x15n);
  });

  it('propagates NaN payloads: signalling before quiet, first operand first', () => {
    const m = machine(
      `
      fadd d2, d0, d1
      fadd d3, d1, d0
      fmul s6, s4, s5
      fmax d7, d0, d0
    `,
      (cpu) => {
        setV(cpu, 0, 0x7ff8000000000123n); // quiet
        setV(cpu, 1, 0xfff0000000000456n); // signalling
        setV(cpu, 4, 0x7fc00011n);
        setV(cpu, 5, 0x7fc00022n);
      },
    );
    m.run();
    expect(getV(m.cpu, 2)).toBe(0xfff8000000000456n);
    expect(getV(m.cpu, 3)).toBe(0xfff8000000000456n);
    expect(getV(m.cpu, 6)).toBe(0x7fc00011n);
    expect(getV(m.cpu, 7)).toBe(0x7ff8000000000123n);
  });

  it('rounds by FPCR.RMode and flushes denormals under FZ', () => {
    const m = machine(
      `
      mov x0, #0xc00000
      msr fpcr, x0
      fadd d2, d0, d1
      mov x0, #0x1000000
      msr fpcr, x0
      fmul d3, d4, d5
      mrs x6, fpsr
    `,
      (cpu) => {
        setV(cpu, 0, f64(1));
        setV(cpu, 1, f64(2 ** -60));
        setV(cpu, 4, 1n); // smallest denormal
        setV(cpu, 5, f64(2 ** 60));
      },
    );
    m.run();
    expect(getV(m.cpu, 2)).toBe(f64(1)); // toward zero
    expect(getV(m.cpu, 3)).toBe(0n); // denormal input flushed
    expect(m.x(6) & 0x80n).toBe(0x80n); // IDC
  });

  it('fuses multiply-add with one rounding and negates the right operands', () => {
    const m = machine(
      `
      fmadd d3, d0, d1, d2
      fmsub d4, d0, d1, d2
      fnmadd d5, d0, d1, d2
      fnmsub d6, d0, d1, d2
      fmadd s10, s7, s8, s9
    `,
      (cpu) => {
        setV(cpu, 0, f64(1 + 2 ** -30));
        setV(cpu, 1, f64(1 - 2 ** -30));
        setV(cpu, 2, f64(-1));
        setV(cpu, 7, f32(3));
        setV(cpu, 8, f32(5));
        setV(cpu, 9, f32(0.5));
      },
    );
    m.run();
    // (1 + e)(1 - e) - 1 = -e^2 exactly: an unfused multiply would give 0.
    expect(getV(m.cpu, 3)).toBe(f64(-(2 ** -60)));
    expect(getV(m.cpu, 4)).toBe(f64(-2 + 2 ** -60));
    expect(getV(m.cpu, 5)).toBe(f64(2 ** -60));
    expect(getV(m.cpu, 6)).toBe(f64(2 - 2 ** -60));
    expect(getV(m.cpu, 10)).toBe(f32(15.5));
  });

  it('computes square roots, absolute values and negations', () => {
    const m = machine(
      `
      fsqrt d1, d0
      fsqrt s3, s2
      fabs d5, d4
      fneg s7, s6
      fsqrt d9, d8
      mrs x1, fpsr
      fmov d11, d10
    `,
      (cpu) => {
        setV(cpu, 0, f64(2));
        setV(cpu, 2, f32(16));
        setV(cpu, 4, 0xfff0000000000001n); // a NaN: FABS is a bit operation
        setV(cpu, 6, 0x7f800001n);
        setV(cpu, 8, f64(-4));
        setV(cpu, 10, (5n << 64n) | 7n);
      },
    );
    m.run();
    expect(getV(m.cpu, 1)).toBe(f64(Math.SQRT2));
    expect(getV(m.cpu, 3)).toBe(f32(4));
    expect(getV(m.cpu, 5)).toBe(0x7ff0000000000001n);
    expect(getV(m.cpu, 7)).toBe(0xff800001n);
    expect(getV(m.cpu, 9)).toBe(0x7ff8000000000000n);
    expect(m.x(1)).toBe(0x11n);
    expect(getV(m.cpu, 11)).toBe(7n);
  });

  it('does half-precision arithmetic', () => {
    const m = machine(
      `
      fadd h2, h0, h1
      fmul h3, h0, h1
      fcvt s4, h2
      fcvt h5, d6
    `,
      (cpu) => {
        setV(cpu, 0, 0x3e00n); // 1.5
        setV(cpu, 1, 0x4000n); // 2
        setV(cpu, 6, f64(65520)); // rounds to infinity in half
      },
    );
    m.run();
    expect(getV(m.cpu, 2)).toBe(0x4300n); // 3.5
    expect(getV(m.cpu, 3)).toBe(0x4200n); // 3
    expect(getV(m.cpu, 4)).toBe(f32(3.5));
    expect(getV(m.cpu, 5)).toBe(0x7c00n);
  });
});

describe('scalar FP rounding to integral and precision conversion', () => {
  it('rounds with each FRINT mode', () => {
    const src = [2.5, -2.5, 0.5, -0.3];
    const ops = ['frintn', 'frinta', 'frintp', 'frintm', 'frintz'];
    const lines = ops.flatMap((op, i) => src.map((_, j) => `${op} d${4 + 4 * i + j}, d${j}`));
    const m = machine(lines.join('\n'), (cpu) => src.forEach((v, j) => setV(cpu, j, f64(v))));
    m.run();
    const expected = [
      [2, -2, 0, -0],
      [3, -3, 1, -0],
      [3, -2, 1, -0],
      [2, -3, 0, -1],
      [2, -2, 0, -0],
    ];
    expected.forEach((row, i) => row.forEach((v, j) => expect(getV(m.cpu, 4 + 4 * i + j)).toBe(f64(v))));
  });

  it('FRINTX raises IXC, FRINTI does not', () => {
    const m = machine(
      `
      frinti s1, s0
      mrs x1, fpsr
      frintx s2, s0
      mrs x2, fpsr
    `,
      (cpu) => setV(cpu, 0, f32(7.25)),
    );
    m.run();
    expect(getV(m.cpu, 1)).toBe(f32(7));
    expect(m.x(1)).toBe(0n);
    expect(getV(m.cpu, 2)).toBe(f32(7));
    expect(m.x(2)).toBe(0x10n);
  });

  it('FRINT32X and FRINT64Z saturate to the most negative integer with IOC', () => {
    const m = machine(
      `
      .inst 0x1e68c0c1
      mrs x1, fpsr
      msr fpsr, xzr
      .inst 0x1e6940e2
      mrs x2, fpsr
    `,
      (cpu) => {
        setV(cpu, 6, f64(2147483647.5));
        setV(cpu, 7, f64(-0.4));
      },
    );
    m.run(); // frint32x d1, d6 ; frint64z d2, d7
    expect(getV(m.cpu, 1)).toBe(f64(-2147483648));
    expect(m.x(1)).toBe(1n);
    expect(getV(m.cpu, 2)).toBe(f64(-0));
    expect(m.x(2)).toBe(0x10n);
  });

  it('converts between single and double, keeping NaN payloads', () => {
    const m = machine(
      `
      fcvt d1, s0
      fcvt s3, d2
      fcvt s5, d4
      mrs x1, fpsr
    `,
      (cpu) => {
        setV(cpu, 0, 0x7f800001n); // signalling NaN
        setV(cpu, 2, f64(0.1));
        setV(cpu, 4, 0x7ff0000020000000n);
      },
    );
    m.run();
    expect(getV(m.cpu, 1)).toBe(0x7ff8000020000000n);
    expect(getV(m.cpu, 3)).toBe(f32(0.1));
    expect(getV(m.cpu, 5)).toBe(0x7fc00001n);
    expect(m.x(1)).toBe(0x11n);
  });
});

describe('scalar FP compare and select', () => {
  it('sets NZCV for less, equal, greater and unordered', () => {
    const m = machine(
      `
      fcmp d0, d1
      mrs x1, nzcv
      fcmp d0, d0
      mrs x2, nzcv
      fcmp d1, d0
      mrs x3, nzcv
      fcmp d0, d2
      mrs x4, nzcv
      mrs x5, fpsr
      fcmpe d0, d2
      mrs x6, fpsr
      fcmp s3, #0.0
      mrs x7, nzcv
    `,
      (cpu) => {
        setV(cpu, 0, f64(1));
        setV(cpu, 1, f64(2));
        setV(cpu, 2, 0x7ff8000000000000n);
        setV(cpu, 3, f32(-0));
      },
    );
    m.run();
    expect(m.x(1)).toBe(0x80000000n);
    expect(m.x(2)).toBe(0x60000000n);
    expect(m.x(3)).toBe(0x20000000n);
    expect(m.x(4)).toBe(0x30000000n);
    expect(m.x(5)).toBe(0n); // quiet NaN: no IOC for FCMP
    expect(m.x(6)).toBe(1n); // FCMPE signals
    expect(m.x(7)).toBe(0x60000000n); // -0 == +0
  });

  it('FCCMP compares or takes the immediate flags; FCSEL selects by condition', () => {
    const m = machine(
      `
      cmp x0, #1
      fccmp s0, s1, #0xf, eq
      mrs x1, nzcv
      cmp x0, #2
      fccmp s0, s1, #0x4, eq
      mrs x2, nzcv
      fcsel d4, d2, d3, eq
      fcsel d5, d2, d3, ne
    `,
      (cpu) => {
        cpu.state.setX(0, 1);
        setV(cpu, 0, f32(5));
        setV(cpu, 1, f32(3));
        setV(cpu, 2, f64(10));
        setV(cpu, 3, (9n << 64n) | f64(20));
      },
    );
    m.run();
    expect(m.x(1)).toBe(0x20000000n); // 5 > 3
    expect(m.x(2)).toBe(0x40000000n); // immediate
    expect(getV(m.cpu, 4)).toBe(f64(10)); // the immediate #0x4 set Z: eq holds
    expect(getV(m.cpu, 5)).toBe(f64(20)); // and the upper half of d3's register is not copied
  });
});

describe('scalar FP moves and integer conversions', () => {
  it('moves immediates and general registers, including V.D[1]', () => {
    const m = machine(
      `
      fmov d0, #-1.25
      fmov s1, #31.0
      fmov h2, #0.5
      mov x3, #0x4000
      fmov d4, x3
      fmov w5, s1
      fmov v6.d[1], x3
      fmov x7, v8.d[1]
      fmov h9, w3
      fmov x10, h2
    `,
      (cpu) => {
        setV(cpu, 6, 0x1234n);
        setV(cpu, 8, 0xabcdn << 64n);
      },
    );
    m.run();
    expect(getV(m.cpu, 0)).toBe(f64(-1.25));
    expect(getV(m.cpu, 1)).toBe(f32(31));
    expect(getV(m.cpu, 2)).toBe(0x3800n);
    expect(getV(m.cpu, 4)).toBe(0x4000n);
    expect(m.x(5)).toBe(f32(31));
    expect(getV(m.cpu, 6)).toBe((0x4000n << 64n) | 0x1234n);
    expect(m.x(7)).toBe(0xabcdn);
    expect(getV(m.cpu, 9)).toBe(0x4000n);
    expect(m.x(10)).toBe(0x3800n);
  });

  it('converts to integers with each rounding mode and saturates with IOC', () => {
    const m = machine(
      `
      fcvtzs w1, d0
      fcvtns w2, d0
      fcvtas x3, d0
      fcvtms x4, d0
      fcvtps x5, d0
      fcvtzu w6, d0
      mrs x7, fpsr
      msr fpsr, xzr
      fcvtzs w8, d9
      fcvtzu x10, d9
      fcvtzs x11, s12
      mrs x13, fpsr
    `,
      (cpu) => {
        setV(cpu, 0, f64(-2.5));
        setV(cpu, 9, f64(1e10));
        setV(cpu, 12, 0x7fc00000n);
      },
    );
    m.run();
    expect(m.x(1)).toBe(0xfffffffen);
    expect(m.x(2)).toBe(0xfffffffen);
    expect(m.x(3)).toBe(0xfffffffffffffffdn);
    expect(m.x(4)).toBe(0xfffffffffffffffdn);
    expect(m.x(5)).toBe(0xfffffffffffffffen);
    expect(m.x(6)).toBe(0n);
    expect(m.x(7)).toBe(0x11n);
    expect(m.x(8)).toBe(0x7fffffffn);
    expect(m.x(10)).toBe(10000000000n);
    expect(m.x(11)).toBe(0n);
    expect(m.x(13)).toBe(1n);
  });

  it('converts integers and fixed-point values to FP', () => {
    const m = machine(
      `
      mov x0, #-3
      scvtf d1, x0
      ucvtf s2, w0
      scvtf d3, w0, #1
      mov x4, #-1
      ucvtf d5, x4
      mrs x6, fpsr
      fcvtzs w7, d8, #4
      fcvtzu x9, s10, #32
    `,
      (cpu) => {
        setV(cpu, 8, f64(1.75));
        setV(cpu, 10, f32(0.5));
      },
    );
    m.run();
    expect(getV(m.cpu, 1)).toBe(f64(-3));
    expect(getV(m.cpu, 2)).toBe(f32(4294967293));
    expect(getV(m.cpu, 3)).toBe(f64(-1.5));
    expect(getV(m.cpu, 5)).toBe(f64(2 ** 64));
    expect(m.x(6)).toBe(0x10n);
    expect(m.x(7)).toBe(28n);
    expect(m.x(9)).toBe(0x80000000n);
  });

  it('FJCVTZS wraps modulo 2^32 and sets Z only for exact in-range values', () => {
    const m = machine(
      `
      .inst 0x1e7e0001
      mrs x2, nzcv
      mrs x3, fpsr
      .inst 0x1e7e0024
      mrs x5, nzcv
    `,
      (cpu) => {
        setV(cpu, 0, f64(4294967303));
        setV(cpu, 1, f64(-7));
      },
    );
    m.run(); // fjcvtzs w1, d0 ; fjcvtzs w4, d1
    expect(m.x(1)).toBe(7n);
    expect(m.x(2)).toBe(0n);
    expect(m.x(3)).toBe(1n);
    expect(m.x(4)).toBe(0xfffffff9n);
    expect(m.x(5)).toBe(0x40000000n);
  });

  it('rejects unallocated encodings', () => {
    // fadd with ftype 10, and FMOV W <-> D (sf/ftype mismatch)
    expect(machine('.inst 0x1ea12800').run()).toBe(UNDEF);
    expect(machine('.inst 0x1e670000').run()).toBe(UNDEF);
    // fixed-point conversion of a W register with scale < 32
    expect(machine('.inst 0x1e187c00').run()).toBe(UNDEF);
  });
});
