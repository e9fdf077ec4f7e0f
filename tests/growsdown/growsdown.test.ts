// MAP_GROWSDOWN and the stack guard gap (kernel/linux/stack-growth.ts), by
// our own program (build.sh): it prints what the host kernel printed (the
// golden), on both arches under salty.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/growsdown');

function onSalty(elf: string): string {
  const file = join(DIR, elf);
  let out = '';
  runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: 'growsdown', env: ['PATH=/bin:/usr/bin'], memoryBytes: 64 << 20, strace: false, stats: false },
    { writeOut: (d) => (out += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return out;
}

describe('MAP_GROWSDOWN against the host kernel', () => {
  const golden = readFileSync(join(DIR, 'growsdown.golden'), 'utf8');
  it('grows on touches and copies below it, stops at the guard gap, refuses shared and file mappings (aarch64)', () => {
    expect(onSalty('growsdown.elf')).toBe(golden);
  }, 60_000);
  it('prints the same on x86_64', () => {
    expect(onSalty('growsdown.x86_64.elf')).toBe(golden);
  }, 60_000);
});
