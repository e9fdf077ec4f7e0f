// The qemu-user gaps that linux-golden.txt corrects, shown by our own probe
// (oracle-gaps/oracle-gaps.c): salty answers as the host kernel did
// (oracle-gaps.golden), and qemu-aarch64, where installed, still answers
// as recorded in oracle-gaps.qemu.golden (if it ever answers as Linux, the
// corrections in linux-golden.txt are stale).

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/ltp/oracle-gaps');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

function onSalty(elf: string): string {
  const file = join(DIR, elf);
  let out = '';
  runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: 'oracle-gaps', env: ['PATH=/bin:/usr/bin'], memoryBytes: 64 << 20, strace: false, stats: false },
    { writeOut: (d) => (out += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  );
  return out;
}

const hasQemu = spawnSync('qemu-aarch64', ['--version']).status === 0;

describe('where qemu-aarch64 is not the oracle (linux-golden.txt)', () => {
  it('salty answers the probe as the host kernel did (aarch64 and x86_64 builds)', () => {
    expect(onSalty('oracle-gaps.elf')).toBe(read('oracle-gaps.golden'));
    expect(onSalty('oracle-gaps.x86_64.elf')).toBe(read('oracle-gaps.golden'));
  }, 60_000);

  it('linux-golden.txt corrects exactly the tests the probe covers', () => {
    const names = read('../linux-golden.txt').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(/\s+/)[0]);
    expect(names.sort()).toEqual(['name_to_handle_at02', 'prctl02', 'splice08', 'splice09']);
  });

  it.skipIf(!hasQemu)('qemu-aarch64 still answers as recorded, not as Linux', () => {
    const out = execFileSync('qemu-aarch64', [join(DIR, 'oracle-gaps.elf')], { encoding: 'utf8' });
    expect(out).toBe(read('oracle-gaps.qemu.golden'));
    expect(out).not.toBe(read('oracle-gaps.golden'));
  }, 60_000);
});
