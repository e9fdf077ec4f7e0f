// Records QEMU's transcript of the U-Boot session into goldens/session.txt (run by record-golden.sh).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { COMMANDS, GOLDEN, haveUboot, KERNEL, KERNEL_COMMANDS, KERNEL_GOLDEN, normalise, QEMU_ARGS, runProcessSession, runQemuSession, UBOOT_BIN, UBOOT_DIR, ubootMissingReason } from './uboot-session';

async function main(): Promise<void> {
  if (!haveUboot()) throw new Error(ubootMissingReason());
  for (const [file, commands, kernel] of [
    [GOLDEN, COMMANDS, undefined],
    [KERNEL_GOLDEN, KERNEL_COMMANDS, KERNEL],
  ] as const) {
    const lines = normalise(await runQemuSession(commands, kernel));
    if (!lines.some((l) => l.startsWith('poweroff ...') || l === 'done')) throw new Error(`QEMU's session did not power off:\n${lines.join('\n')}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, lines.join('\n') + '\n');
    console.log(`${file}: ${lines.length} lines`);
  }
  // The environment QEMU's U-Boot writes into a -drive if=pflash image of bank 1.
  const img = join(mkdtempSync(join(tmpdir(), 'uboot-pflash-')), 'env.img');
  writeFileSync(img, new Uint8Array(0));
  truncateSync(img, 64 << 20);
  await runProcessSession('qemu-system-aarch64', [...QEMU_ARGS, UBOOT_BIN, '-drive', `if=pflash,format=raw,unit=1,file=${img}`], ['setenv foo bar', 'saveenv', 'poweroff'], 60_000);
  writeFileSync(join(UBOOT_DIR, 'goldens', 'pflash-env.sha256'), createHash('sha256').update(readFileSync(img)).digest('hex') + '\n');
}

main().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
