// Records QEMU's result lines for every TCG entry of arm/unittests.cfg into
// goldens/<entry>.txt (run by record-goldens.sh). An entry QEMU refuses or that
// prints no result line gets no golden, and so is not compared.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { GOLDENS, goldenFile, haveQemu, kutBuilt, kutEntries, pool, resultLines, runQemu } from './kut-harness';

async function main(): Promise<void> {
  if (!kutBuilt()) throw new Error('kvm-unit-tests is not built: run tests/kvm-unit-tests/build.sh');
  if (!haveQemu()) throw new Error('qemu-system-aarch64 is not installed');
  rmSync(GOLDENS, { recursive: true, force: true });
  mkdirSync(GOLDENS, { recursive: true });
  const entries = kutEntries();
  await pool(entries, 2, async (e) => {
    // The timer test measures host latency, so a loaded machine can fail it: up to 4 runs, the first lines seen twice.
    const seen: string[] = [];
    let a: string[] = [];
    let why = '';
    for (let i = 0; i < 4 && a.length === 0; i++) {
      const r = await runQemu(e);
      const lines = resultLines(r.stdout);
      if (lines.length === 0) why = r.stderr.split('\n')[0];
      else if (seen.includes(lines.join('\n'))) a = lines;
      else seen.push(lines.join('\n'));
      if (why) break;
    }
    if (why) return console.log(`${e.name}: QEMU printed no result (${why}); not compared`);
    if (a.length === 0) return console.log(`${e.name}: QEMU's lines differ between four runs; not compared`);
    writeFileSync(goldenFile(e.name), a.join('\n') + '\n');
    console.log(`${e.name}: ${a[a.length - 1]}`);
  });
}

main().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
