// Processes give back what they took: after programs that fork, exec, map
// and start threads have exited, every MemoryObject, VSpace and frame is free again.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { parseElfImage } from '../../loader/elf-image';
import { FIXTURES, STDIN } from './run-fixture';

function boot(name: string, args: string[] = [], endsWithLastProcess = false) {
  const kernel = new HostedKernel(64 << 20);
  const freeAtBoot = kernel.mm.pmm.freeFrames;
  let out = '';
  let input = Buffer.from(STDIN);
  const sys = new LinuxSystem(kernel, {
    strace: false,
    root: '/',
    endsWithLastProcess,
    io: {
      writeOut: (d) => (out += Buffer.from(d).toString()),
      writeErr: () => {},
      readIn: (max) => {
        const b = input.subarray(0, max);
        input = input.subarray(b.length);
        return b;
      },
      isTty: () => false,
    },
  });
  const file = join(FIXTURES, `${name}.elf`);
  const bytes = readFileSync(file);
  const p = sys.spawn({ exe: { path: file, bytes }, image: parseElfImage(bytes, { fileName: file }), argv: [name, ...args], envp: [], random: new Uint8Array(16) });
  return { kernel, sys, p, freeAtBoot, output: () => out };
}

describe('process lifecycle', () => {
  for (const name of ['fork', 'threads', 'mmap', 'exec', 'signals']) {
    it(`${name}: every object and frame is returned once the program has exited`, () => {
      const { kernel, sys, freeAtBoot, output } = boot(name);
      const during = kernel.mm.pmm.freeFrames;
      sys.run();
      expect(output().length).toBeGreaterThan(0);
      expect(sys.processes.size).toBe(0);
      expect(sys.threads.size).toBe(0);
      expect(kernel.mm.memoryObjects.size).toBe(0);
      expect(kernel.mm.vspaces.size).toBe(0);
      expect(during).toBeLessThan(freeAtBoot);
      expect(kernel.mm.pmm.freeFrames).toBe(freeAtBoot);
    });
  }

  it('leaves the last process its address space when the host ends with it (salty run), the others torn down', () => {
    const plain = boot('fork');
    plain.sys.run();
    const { kernel, sys, output } = boot('fork', [], true);
    sys.run();
    expect(output()).toBe(plain.output());
    expect(sys.processes.size).toBe(0);
    // The child's VSpace went at its exit; the parent's, the last, stays with its frames.
    expect(kernel.mm.vspaces.size).toBe(1);
    expect(kernel.mm.pmm.freeFrames).toBeLessThan(plain.kernel.mm.pmm.freeFrames);
  });

  it('fork copies only the pages written after it (copy-on-write)', () => {
    const { kernel, sys } = boot('fork');
    sys.run();
    const c = kernel.mm.counters;
    // fork.elf's child rewrites 256 pages of a 1 MiB array: copies, not a copy of everything.
    expect(c.cowCopies + c.cowHandovers).toBeGreaterThanOrEqual(256);
    expect(c.cowCopies).toBeLessThan(2000);
  });
});
