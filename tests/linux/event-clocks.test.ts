// The waiting programs (epoll, POSIX timers and itimers, signalfd) under
// --wall-clock, where sleeps and timeouts take real host time, as well as
// under time counted in retired instructions (the default, where an idle guest
// skips ahead to the next deadline). Both must print qemu-aarch64's golden
// output: every wait ends when Linux's would, in either time.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';
import { FIXTURES, golden, STDIN } from './run-fixture';

function runWith(name: string, wallClock: boolean): { stdout: string; status: number; hostMs: number } {
  const file = join(FIXTURES, `${name}.elf`);
  let stdout = '';
  let input = Buffer.from(STDIN);
  const t0 = performance.now();
  const status = runProgram(
    { file, bytes: readFileSync(file), args: [], argv0: name, env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false, wallClock },
    {
      writeOut: (d) => (stdout += Buffer.from(d).toString()),
      writeErr: () => {},
      readIn: (max) => {
        const out = input.subarray(0, max);
        input = input.subarray(out.length);
        return out;
      },
      isTty: () => false,
    },
  );
  return { stdout, status, hostMs: performance.now() - t0 };
}

// Instruction time runs these same programs in programs.test.ts.
describe('waits end where Linux ends them under --wall-clock too', () => {
  for (const name of ['epoll', 'timers', 'signalfd']) {
    it(`${name} --wall-clock: qemu-aarch64's output`, () => {
      const want = golden(name);
      const got = runWith(name, true);
      expect(got.stdout).toBe(want.stdout);
      expect(got.status).toBe(want.status);
      // timers sleeps and waits for real: timers of 20 + 52 + 10 ms, itimers of 30 ms, a nanosleep cut at 30 ms, 20 ms more.
      if (name === 'timers') expect(got.hostMs).toBeGreaterThan(150);
    });
  }
});
