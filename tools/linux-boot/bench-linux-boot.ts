// `npm run bench` (BENCH_ONLY=linux alone): Debian's arm64 kernel with the
// test initramfs, from power-on to the init script's first line ("init:
// started"), on salty's virt board and on qemu-system-aarch64 -M virt -cpu
// cortex-a57: host seconds, and for salty the instructions retired.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootLinux } from './board-boot';
import { kernelFiles } from './kernel-files';

const MARK = 'init: started';

/** Seconds until QEMU prints the mark (then it is killed), or NaN. */
function qemuToMark(vmlinuz: string, initrd: Uint8Array): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'salty-bench-linux-'));
  writeFileSync(join(dir, 'initrd.gz'), initrd);
  return new Promise((resolve) => {
    const t0 = performance.now();
    let child;
    try {
      child = spawn('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '512', '-nographic', '-kernel', vmlinuz, '-initrd', join(dir, 'initrd.gz'), '-append', 'console=ttyAMA0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      resolve(NaN);
      return;
    }
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', () => resolve(NaN));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (out.includes(MARK)) {
        resolve((performance.now() - t0) / 1000);
        child.kill('SIGKILL');
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(NaN);
    });
  });
}

/** Prints one line; returns false when salty did not reach the mark. */
export async function benchLinuxBoot(): Promise<boolean> {
  const files = kernelFiles();
  if (typeof files === 'string') {
    console.log(`linux-boot: skipped: ${files}`);
    return true;
  }
  const q = await qemuToMark(files.vmlinuzPath, files.initrd);
  const r = bootLinux({ kernel: files.kernel, initrd: files.initrd, append: 'console=ttyAMA0', gicVersion: 2, memoryBytes: 512 << 20, timeoutSeconds: 600, mark: MARK });
  const s = r.markSeconds;
  const reached = s !== undefined;
  console.log(
    `linux-boot (${files.kernelPackage}, to "${MARK}"): salty ${reached ? `${s.toFixed(1)} s (cpu ${r.markCpuSeconds!.toFixed(1)} s)` : `not reached (${r.end}, ${r.where})`}, ` +
      `${r.markRetired ?? r.retired} instructions (${reached ? `${(r.markRetired! / s / 1e6).toFixed(1)} MIPS, cpu ${(r.markRetired! / r.markCpuSeconds! / 1e6).toFixed(1)}` : 'n/a'}); ` +
      `qemu-system-aarch64 ${Number.isNaN(q) ? 'n/a' : q.toFixed(1) + ' s'}${reached && !Number.isNaN(q) ? `; salty/qemu ${(s / q).toFixed(1)}x` : ''}`,
  );
  return reached;
}
