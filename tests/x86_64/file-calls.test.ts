// The file-calls programs (../linux/file-calls.c, sysv-ipc.c) built for
// x86_64 with glibc, on salty's x86_64 machine, compared with the host
// kernel's answers (goldens recorded natively on an x86_64 host): the x86_64
// numbers of the new calls and x86_64's own semid64_ds layout.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/fixtures/linux-x86_64');

function runOnSalty(name: string): { stdout: string; status: number } {
  const file = join(DIR, `${name}.elf`);
  let stdout = '';
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: name, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false },
    {
      writeOut: (d) => (stdout += Buffer.from(d).toString()),
      writeErr: () => {},
      readIn: () => new Uint8Array(0),
      isTty: () => false,
    },
  );
  return { stdout, status };
}

describe('x86_64 file and IPC calls: salty matches the host kernel', () => {
  for (const name of ['file-calls.glibc', 'sysv-ipc.glibc']) {
    it(name, () => {
      const got = runOnSalty(name);
      expect(got.stdout).toBe(readFileSync(join(DIR, `${name}.golden`), 'utf8'));
      expect(got.status).toBe(Number(readFileSync(join(DIR, `${name}.status`), 'utf8').trim()));
    });
  }
});
