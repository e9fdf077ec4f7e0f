// long double end to end: x87-programs/longdouble.c and x87trap.c (an
// unmasked x87 exception delivered as SIGFPE), glibc and musl static, under salty's x86_64 Linux personality prints what the host CPU printed
// (goldens from x87-programs/build.sh), and the memory tiers get every frame
// back.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { parseElfImage } from '../../loader/elf-image';

const DIR = join(__dirname, 'x87-programs');

function runOnSalty(file: string, argv0 = 'longdouble'): { stdout: string; status: number; freed: boolean } {
  const bytes = readFileSync(file);
  const image = parseElfImage(bytes, { fileName: file });
  const kernel = new HostedKernel(128 << 20, { arch: image.machine });
  const freeAtBoot = kernel.mm.pmm.freeFrames;
  let stdout = '';
  const sys = new LinuxSystem(kernel, {
    strace: false,
    root: '/',
    instructionLimit: 400_000_000,
    io: {
      writeOut: (d) => (stdout += Buffer.from(d).toString()),
      writeErr: (d) => (stdout += Buffer.from(d).toString()),
      readIn: () => new Uint8Array(0),
      isTty: () => false,
    },
  });
  const p = sys.spawn({ exe: { path: file, bytes }, image, argv: [argv0], envp: [], random: new Uint8Array(16) });
  p.cwd = process.cwd();
  const status = sys.run();
  return { stdout, status, freed: kernel.mm.pmm.freeFrames === freeAtBoot && sys.processes.size === 0 };
}

describe('long double programs on the x87', () => {
  for (const name of ['longdouble.glibc', 'longdouble.musl', 'x87trap.glibc', 'x87trap.musl']) {
    it(`${name}: same output as the host CPU`, () => {
      const elf = join(DIR, `${name}.elf`);
      const got = runOnSalty(elf, name.split('.')[0]);
      expect(got.stdout).toBe(readFileSync(join(DIR, `${name}.golden`), 'utf8'));
      expect(got.status).toBe(Number(readFileSync(join(DIR, `${name}.status`), 'utf8').trim()));
      expect(got.freed).toBe(true);
      if (process.arch === 'x64' && process.platform === 'linux') {
        const live = spawnSync(elf, { encoding: 'utf8' });
        expect(live.stdout).toBe(got.stdout);
      }
    });
  }
});
