// `npm run bench` with BENCH_ONLY=hostile: the hostile guests of tests/hostile
// under larger guests (BENCH_HOSTILE_MEM, default 1 GiB and 4 GiB), each as a
// host process of its own, reporting the host's peak RSS against -m and the
// bound the charging of kernel objects promises (1.5 x -m + 150 MB).
// Then the same guests built for x86_64 (tests/hostile/x86_64/) at
// BENCH_HOSTILE_X86_MEM (default 4G).

import { runHostile } from '../tests/hostile/run-hostile';

const GUESTS: readonly { readonly elf: string; readonly args: (mib: number) => readonly string[] }[] = [
  { elf: 'kobj-fork-bomb.elf', args: () => ['200000'] },
  { elf: 'kobj-fork-bomb.elf', args: () => ['200000', 'raise'] },
  { elf: 'kobj-thread-bomb.elf', args: () => ['1000000', 'raise'] },
  { elf: 'kobj-pipe-flood.elf', args: () => [] },
  { elf: 'kobj-memfd-bomb.elf', args: () => ['1000000'] },
  // Children of 8 MiB asking four times RAM: the OOM killer kills about 3 of every 4.
  { elf: 'kobj-oom-storm.elf', args: (mib) => [String(mib / 2), '8'] },
  // Timers and epoll entries with their limits lifted: guest memory refuses them.
  { elf: 'kobj-timer-bomb.elf', args: () => ['raise'] },
  { elf: 'kobj-epoll-bomb.elf', args: () => ['1024', '100000000'] },
];

/** Runs every guest of one arch (its ELFs under tests/hostile/dir) at one size and prints a row each; false when one broke the bound. */
async function benchSize(arch: string, dir: string, mib: number): Promise<boolean> {
  let ok = true;
  for (const g of GUESTS) {
    const args = g.args(mib);
    const r = await runHostile(dir + g.elf, [...args], mib, 600_000);
    const bound = 1.5 * mib * 2 ** 20 + 150e6;
    const within = r.peakRssBytes < bound;
    const audited = r.messages.includes('salty: audit: ok');
    // The issue's time: a guest of 1 GiB ends in under 10 s (wall; the CPU column tells the machine's load apart).
    const inTime = mib > 1024 || r.seconds < 10;
    ok &&= within && audited;
    const first = (r.stdout.split('\n')[0] || r.messages[0] || '').slice(0, 60);
    const name = `${arch} ${g.elf.replace(/\.elf$/, '')} ${args.join(' ')}`;
    console.log(
      `${name.padEnd(44)} ${`${mib}M`.padStart(6)} ${`${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`.padStart(10)} ${(r.peakRssBytes / (mib * 2 ** 20)).toFixed(2).padStart(7)} ${within ? 'within' : 'BROKEN'}${audited ? '' : ' AUDIT FAILED'}`.padEnd(78) +
        ` ${`${r.seconds.toFixed(1)} s${inTime ? '' : '!'}`.padStart(8)} ${`${r.cpuSeconds.toFixed(1)} s`.padStart(8)}  ${first}`,
    );
  }
  return ok;
}

function parseMib(s: string): number {
  const m = /^(\d+)([MG])$/i.exec(s.trim());
  if (!m) throw new Error(`BENCH_HOSTILE_MEM: ${s} is not a size like 1G or 512M`);
  return Number(m[1]) * (m[2].toUpperCase() === 'G' ? 1024 : 1);
}

/** Runs every guest at every size; false when one broke the bound or its time. */
export async function benchHostile(): Promise<boolean> {
  const sizes = (process.env.BENCH_HOSTILE_MEM ?? '1G,4G').split(',').map(parseMib);
  let ok = true;
  console.log('\nhostile guests: host peak RSS (VmHWM) against -m; bound 1.5 x -m + 150 MB; time: wall (! past 10 s at 1 GiB or less), CPU: user + system');
  console.log(`${'guest'.padEnd(44)} ${'-m'.padStart(6)} ${'peak RSS'.padStart(10)} ${'RSS/-m'.padStart(7)} ${'bound'.padStart(9)} ${'time'.padStart(8)} ${'CPU'.padStart(8)}  first line`);
  const x86Sizes = (process.env.BENCH_HOSTILE_X86_MEM ?? '4G').split(',').filter((x) => x.trim()).map(parseMib);
  for (const mib of sizes) ok = (await benchSize('aarch64', '', mib)) && ok;
  for (const mib of x86Sizes) ok = (await benchSize('x86_64', 'x86_64/', mib)) && ok;
  return ok;
}
