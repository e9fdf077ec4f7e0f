// `npm run bench` with BENCH_ONLY=hostile: the hostile guests of tests/hostile
// under larger guests (BENCH_HOSTILE_MEM, default 1 GiB and 3968 MiB, the
// largest RAM the virt model takes below 4 GiB), each as a
// host process of its own, reporting the host's peak RSS against -m and the
// bound the charging of kernel objects promises (1.5 x -m + 150 MB).

import { runHostile } from '../tests/hostile/run-hostile';

const GUESTS: readonly { readonly elf: string; readonly args: readonly string[] }[] = [
  { elf: 'kobj-fork-bomb.elf', args: ['200000'] },
  { elf: 'kobj-fork-bomb.elf', args: ['200000', 'raise'] },
  { elf: 'kobj-thread-bomb.elf', args: ['1000000', 'raise'] },
  { elf: 'kobj-pipe-flood.elf', args: [] },
  { elf: 'kobj-memfd-bomb.elf', args: ['1000000'] },
];

function parseMib(s: string): number {
  const m = /^(\d+)([MG])$/i.exec(s.trim());
  if (!m) throw new Error(`BENCH_HOSTILE_MEM: ${s} is not a size like 1G or 512M`);
  return Number(m[1]) * (m[2].toUpperCase() === 'G' ? 1024 : 1);
}

/** Runs every guest at every size; false when one broke the bound or its time. */
export async function benchHostile(): Promise<boolean> {
  const sizes = (process.env.BENCH_HOSTILE_MEM ?? '1G,3968M').split(',').map(parseMib);
  let ok = true;
  console.log('\nhostile guests: host peak RSS (VmHWM) against -m; bound 1.5 x -m + 150 MB');
  console.log(`${'guest'.padEnd(36)} ${'-m'.padStart(6)} ${'peak RSS'.padStart(10)} ${'RSS/-m'.padStart(7)} ${'bound'.padStart(9)} ${'time'.padStart(8)}  first line`);
  for (const mib of sizes) {
    for (const g of GUESTS) {
      const r = await runHostile(g.elf, [...g.args], mib, 600_000);
      const bound = 1.5 * mib * 2 ** 20 + 150e6;
      const within = r.peakRssBytes < bound;
      ok &&= within;
      const first = (r.stdout.split('\n')[0] || r.messages[0] || '').slice(0, 60);
      const name = `${g.elf.replace(/\.elf$/, '')} ${g.args.join(' ')}`;
      console.log(
        `${name.padEnd(36)} ${`${mib}M`.padStart(6)} ${`${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`.padStart(10)} ${(r.peakRssBytes / (mib * 2 ** 20)).toFixed(2).padStart(7)} ${within ? 'within' : 'BROKEN'}`.padEnd(70) +
          ` ${`${r.seconds.toFixed(1)} s`.padStart(8)}  ${first}`,
      );
    }
  }
  return ok;
}
