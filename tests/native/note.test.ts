// The SaltyOS note: found in a PT_NOTE segment, its version checked, and a
// malformed note or header never throws (it is simply not a native program).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nativeAbiVersion, NT_SALTY_NATIVE } from '../../loader/native-note';
import { runProgram } from '../../tools/cli/run-program';
import { ARCHES, example } from './native-run';

/** The offset of the note's type word in hello.elf. */
function typeOffset(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  for (let at = 0; at + 4 <= bytes.length; at += 4) if (dv.getUint32(at, true) === NT_SALTY_NATIVE && bytes[at + 4] === 0x53) return at;
  throw new Error('no note');
}

describe.each(ARCHES)('the SaltyOS ELF note on %s', (arch) => {
  const HELLO = example(arch, 'hello');

  it('a version this salty does not speak is refused with a message', () => {
    const bytes = new Uint8Array(readFileSync(HELLO));
    new DataView(bytes.buffer).setUint32(typeOffset(bytes) + 12, 2, true);
    expect(nativeAbiVersion(bytes)).toBe(2);
    let err = '';
    const status = runProgram(
      { file: 'v2.elf', bytes, args: [], env: [], memoryBytes: 32 << 20, strace: false, stats: false },
      { writeOut: () => {}, writeErr: (d) => (err += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false },
    );
    expect(status).toBe(126);
    expect(err).toBe('salty: v2.elf: native ABI version 2, this salty speaks 1\n');
  });

  it('another name, another type or a truncated note is no SaltyOS note', () => {
    const good = new Uint8Array(readFileSync(HELLO));
    const at = typeOffset(good);
    const variants: Array<(b: Uint8Array, dv: DataView) => void> = [
      (b) => (b[at + 4] = 0x54), // "TaltyOS"
      (_, dv) => dv.setUint32(at, 1, true), // another type
      (_, dv) => dv.setUint32(at - 4, 0x10000, true), // descsz past the segment
      (_, dv) => dv.setUint32(at - 8, 0xffffffff, true), // namesz past the segment
    ];
    for (const change of variants) {
      const b = good.slice();
      change(b, new DataView(b.buffer));
      expect(nativeAbiVersion(b)).toBeNull();
    }
  });

  it('random bytes and truncated headers never throw', () => {
    const good = new Uint8Array(readFileSync(HELLO));
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let i = 0; i < 500; i++) {
      const b = good.slice(0, rand() % good.length);
      for (let k = 0; k < 8; k++) if (b.length > 0) b[rand() % b.length] = rand() & 0xff;
      expect(() => nativeAbiVersion(b)).not.toThrow();
    }
  });
});
