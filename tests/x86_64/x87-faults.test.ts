// x87 encodings the architecture leaves undefined raise #UD (none runs as a
// NOP), and an unmasked exception becomes #MF at the next waiting x87
// instruction, not at the one that raised it nor at a non-waiting one.

import { describe, expect, it } from 'vitest';
import { Misc } from '../../board/x86_64/cpu-state';
import { Vector } from '../../board/x86_64/x86-fault';
import { CODE, DATA, x86Machine } from './x86-test-machine';

const ud = [
  [0xd9, 0xd1], // D9 D1..D7
  [0xd9, 0xe2],
  [0xd9, 0xe3],
  [0xd9, 0xe6],
  [0xd9, 0xe7],
  [0xd9, 0xef],
  [0xd9, 0x08], // D9 /1 mem
  [0xda, 0xe0], // DA E0..E8, EA..FF
  [0xda, 0xf8],
  [0xdb, 0xe5],
  [0xdb, 0xf8],
  [0xdb, 0x20], // DB /4 mem
  [0xdb, 0x30], // DB /6 mem
  [0xdd, 0x28], // DD /5 mem
  [0xdd, 0xf0],
  [0xde, 0xd8], // DE D8 (only D9 is FCOMPP)
  [0xde, 0xdf],
  [0xdf, 0xe1],
  [0xdf, 0xf8],
];

// The aliases and 8087 leftovers a current host executes (checked natively with
// the encodings above, which it refuses with SIGILL).
const aliases = [
  [0xd9, 0xd8], // FSTP1
  [0xdf, 0xc0], // FFREEP
  [0xdb, 0xe0], // FENI, a NOP since the 387
  [0xdb, 0xe4], // FSETPM, likewise
  [0xdc, 0xd0], // FCOM2
  [0xde, 0xd0], // FCOMP5
];

describe('x87 undefined encodings', () => {
  for (const bytes of aliases) {
    it(`${Buffer.from(bytes).toString('hex')} runs (as the host runs it)`, () => {
      const m = x86Machine(Uint8Array.from([0xd9, 0xe8, 0xd9, 0xe8, ...bytes]));
      m.runToBreakpoint();
    });
  }
  for (const bytes of ud) {
    it(`${Buffer.from(bytes).toString('hex')} raises #UD`, () => {
      const m = x86Machine(Uint8Array.from(bytes), { 0: DATA });
      const t = m.run();
      expect(t.vector).toBe(Vector.UD);
      expect(t.insnRip).toBe(CODE);
    });
  }
});

describe('x87 #MF', () => {
  // fld1; fldz; fdivp st(1), st: 1/0 with ZE unmasked (FCW 0x37b loaded from [DATA]).
  const prologue = [0xd9, 0x2c, 0x25, 0x00, 0x00, 0x50, 0x00, 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9];

  function run(tail: number[]) {
    const m = x86Machine(Uint8Array.from([...prologue, ...tail]));
    m.phys.writeBytes(DATA, Uint8Array.from([0x7b, 0x03]));
    return { m, t: m.run() };
  }

  it('is raised by the next waiting instruction (FWAIT), at that instruction', () => {
    const { m, t } = run([0x9b]);
    expect(t.vector).toBe(Vector.MF);
    expect(t.insnRip).toBe(CODE + prologue.length);
    const fsw = m.cpu.state.misc[Misc.Fsw];
    expect(fsw & 0x4).toBe(0x4);
    expect(fsw & 0x8080).toBe(0x8080);
  });

  it('is raised by an arithmetic instruction, which then does nothing', () => {
    const { m, t } = run([0xd9, 0xe8]); // fld1
    expect(t.vector).toBe(Vector.MF);
    expect(m.cpu.state.misc[Misc.FpuTop]).toBe(6); // FDIVP did not pop (unmasked), and FLD1 did not push
  });

  it('waits for non-waiting control instructions (FNSTSW AX, FNCLEX), then is gone', () => {
    const { m, t } = run([0xdf, 0xe0, 0xdb, 0xe2, 0x9b, 0xd9, 0xe8]); // fnstsw ax; fnclex; fwait; fld1
    expect(t.vector).toBe(Vector.BP);
    expect(Number(m.reg(0) & 0xffffn)).toBe(0xb084); // B, ES, ZE, TOP 6 (the unmasked FDIVP did not pop)
  });

  it('masked, nothing is raised and the result is infinity', () => {
    const m = x86Machine(Uint8Array.from([...prologue, 0x9b, 0xdd, 0x1c, 0x25, 0x10, 0x00, 0x50, 0x00])); // fwait; fstp qword [DATA+16]
    m.phys.writeBytes(DATA, Uint8Array.from([0x7f, 0x03]));
    m.runToBreakpoint();
    expect(Buffer.from(m.phys.readBytes(DATA + 16, 8)).toString('hex')).toBe('000000000000f07f');
  });
});
