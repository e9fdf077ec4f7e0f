// Records QEMU's transcript of the U-Boot session into goldens/session.txt (run by record-golden.sh).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GOLDEN, haveUboot, normalise, runQemuSession, ubootMissingReason } from './uboot-session';

async function main(): Promise<void> {
  if (!haveUboot()) throw new Error(ubootMissingReason());
  const lines = normalise(await runQemuSession());
  if (!lines.some((l) => l.startsWith('poweroff ...'))) throw new Error(`QEMU's session did not reach poweroff:\n${lines.join('\n')}`);
  mkdirSync(dirname(GOLDEN), { recursive: true });
  writeFileSync(GOLDEN, lines.join('\n') + '\n');
  console.log(`${GOLDEN}: ${lines.length} lines`);
}

main().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
