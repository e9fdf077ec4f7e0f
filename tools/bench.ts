// `npm run bench`: runs our benchmark ELFs on salty and on qemu-aarch64 in the
// same run and prints instructions retired, MIPS and the wall-time ratio.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElfImage } from '../loader/elf-image';
import { HostedKernel } from '../kernel/hosted-kernel';
import { LinuxSystem } from '../kernel/linux/linux-system';
import type { ConsoleIo } from '../kernel/vfs/device';

const DIR = join(process.cwd(), 'tests/fixtures/bench');
const PROGRAMS = ['int', 'mem', 'fp'];
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runSalty(file: string): { seconds: number; retired: number; out: string; status: number } {
  const bytes = readFileSync(file);
  let out = '';
  const io: ConsoleIo = {
    writeOut: (d) => (out += Buffer.from(d).toString()),
    writeErr: (d) => (out += Buffer.from(d).toString()),
    readIn: () => new Uint8Array(0),
    isTty: () => false,
  };
  const kernel = new HostedKernel(256 << 20);
  const system = new LinuxSystem(kernel, { strace: false, io, root: '/' });
  const proc = system.spawn({ exe: { path: file, bytes }, image: parseElfImage(bytes, { fileName: file }), argv: [file], envp: [], random: new Uint8Array(16) });
  const t0 = process.hrtime.bigint();
  const status = system.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (proc.exit?.kind === 'signaled') out += `[${proc.exit.message}]`;
  return { seconds, retired: kernel.retired, out, status };
}

function runQemu(file: string): number | null {
  try {
    execFileSync('qemu-aarch64', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync('qemu-aarch64', [file], { stdio: 'ignore' });
  if (r.status !== 0) return null;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

console.log(`benchmark   instructions    salty s   MIPS    qemu s   ratio (salty/qemu)   median of ${REPEATS}`);
for (const name of PROGRAMS) {
  const file = join(DIR, `${name}.elf`);
  const salty = [];
  const qemu = [];
  let retired = 0;
  let ok = true;
  for (let i = 0; i < REPEATS; i++) {
    const r = runSalty(file);
    retired = r.retired;
    salty.push(r.seconds);
    const golden = readFileSync(join(DIR, `${name}.golden`), 'utf8');
    if (r.status !== 0 || r.out !== golden) ok = false;
    const q = runQemu(file);
    if (q !== null) qemu.push(q);
  }
  const s = median(salty);
  const q = qemu.length ? median(qemu) : NaN;
  const row = [
    name.padEnd(10),
    String(retired).padStart(13),
    s.toFixed(3).padStart(10),
    (retired / s / 1e6).toFixed(1).padStart(6),
    (Number.isNaN(q) ? 'n/a' : q.toFixed(3)).padStart(9),
    (Number.isNaN(q) ? 'n/a' : (s / q).toFixed(1) + 'x').padStart(20),
    ok ? '' : '   OUTPUT DIFFERS FROM QEMU',
  ];
  console.log(row.join(' '));
}
