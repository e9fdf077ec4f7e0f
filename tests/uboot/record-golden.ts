// Records QEMU's transcript of the U-Boot session into goldens/session.txt (run by record-golden.sh).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { COMMANDS, GOLDEN, haveUboot, KERNEL, KERNEL_COMMANDS, KERNEL_GOLDEN, normalise, runQemuSession, ubootMissingReason } from './uboot-session';

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
}

main().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
