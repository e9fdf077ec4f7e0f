// task-count.ts counts the system's tasks without walking the process table
// (taskCount: live threads plus zombies not yet reaped); at every step of
// programs that fork, start threads, exit and wait, it must equal the walk.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { taskCount } from '../../kernel/linux/task-count';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { parseElfImage } from '../../loader/elf-image';
import { FIXTURES, STDIN } from './run-fixture';

/** Every process's threads, a zombie counting as one: what the count must equal. */
function walk(sys: LinuxSystem): number {
  let n = 0;
  for (const p of sys.processes.values()) n += Math.max(1, p.threads.size);
  return n;
}

function boot(name: string): LinuxSystem {
  const kernel = new HostedKernel(64 << 20);
  const sys = new LinuxSystem(kernel, {
    strace: false,
    root: '/',
    io: { writeOut: () => {}, writeErr: () => {}, readIn: () => Buffer.from(STDIN), isTty: () => false },
  });
  const file = join(FIXTURES, `${name}.elf`);
  const bytes = readFileSync(file);
  sys.spawn({ exe: { path: file, bytes }, image: parseElfImage(bytes, { fileName: file }), argv: [name], envp: [], random: new Uint8Array(16) });
  return sys;
}

describe('task count of fork limits', () => {
  for (const name of ['fork', 'threads', 'jobs', 'signals']) {
    it(`${name}: the counted tasks equal the walk of the process table at every step`, () => {
      const sys = boot(name);
      let steps = 0;
      let zombieSeen = false;
      let most = 0;
      do {
        const walked = walk(sys);
        expect(taskCount(sys)).toBe(walked);
        most = Math.max(most, walked);
        if ([...sys.processes.values()].some((p) => p.threads.size === 0)) zombieSeen = true;
        steps++;
      } while (sys.runOnce() && steps < 200_000);
      expect(taskCount(sys)).toBe(walk(sys));
      expect(most).toBeGreaterThan(1);
      if (name === 'fork' || name === 'jobs') expect(zombieSeen).toBe(true);
    });
  }
});
