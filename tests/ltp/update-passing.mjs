// Adds to tests/ltp/salty-passing.txt every test that gives qemu-aarch64's
// result under salty in each of N runs in a row (default 2), so that a
// flaky test does not become a required one. Never removes a test: a listed
// test that fails is a regression to fix (or to remove by hand, saying why
// in the commit).
//   node tests/ltp/update-passing.mjs [--runs 2] [--jobs N] [--timeout 60] [names...]
//   node tests/ltp/update-passing.mjs --from a.tsv --from b.tsv
// Without names: every listed test not yet in the file. --from takes the
// rows of earlier runs (ltp-runner.mjs --tsv) instead of running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, defaultJobs, findLtp, prepare, readExpected, readNames, readQemuSkips, runAll, sameResult } from './ltp-runner.mjs';

const FILE = path.join(HERE, 'salty-passing.txt');
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv.splice(i, 2)[1] : def;
};
const froms = [];
for (let f = opt('--from'); f !== undefined; f = opt('--from')) froms.push(f);
const runs = Number(opt('--runs', '2'));
const jobs = Number(opt('--jobs', String(defaultJobs())));
const timeoutMs = Number(opt('--timeout', '60')) * 1000;
const ltpDir = opt('--ltp', findLtp());

const listed = readNames(path.join(HERE, 'list.txt'));
const passing = new Set(readNames(FILE));
const candidates = argv.length ? argv : listed.filter((n) => !passing.has(n));

/** For each run, the set of tests that gave qemu's result in it. */
const passedIn = froms.length ? froms.map(readTsv) : await runNow();
const added = candidates.filter((n) => !passing.has(n) && listed.includes(n) && passedIn.every((s) => s.has(n)));
for (const n of added) passing.add(n);
writePassing([...passing]);
console.log(`salty-passing.txt: ${added.length} added (same as qemu in ${passedIn.length} runs of ${candidates.length} candidates), ${passing.size} in all`);
if (added.length) console.log(added.join(' '));

async function runNow() {
  if (!ltpDir) throw new Error('no built LTP: run tests/ltp/build.sh or set LTP_DIR');
  const golden = readExpected();
  const skips = readQemuSkips();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ltp-passing-'));
  const ctx = prepare(ltpDir, work);
  const sets = [];
  let names = candidates;
  for (let i = 0; i < runs; i++) {
    // Each run only re-runs what passed in all runs before it.
    const results = await runAll(names.map((n) => ctx.entries.get(n) ?? { name: n, argv: [n] }), 'salty', { ...ctx, jobs, timeoutMs });
    const ok = new Set(results.filter((r) => r && sameResult(r, golden.get(r.name), skips.get(r.name))).map((r) => r.name));
    console.log(`run ${i + 1}: ${ok.size} of ${names.length} as qemu`);
    sets.push(ok);
    names = names.filter((n) => ok.has(n));
  }
  fs.rmSync(work, { recursive: true, force: true });
  return sets;
}

/** ltp-runner.mjs --tsv rows: mode, name, same|differs, ... */
function readTsv(file) {
  const ok = new Set();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [mode, name, verdict] = line.split('\t');
    if (mode === 'salty' && verdict === 'same') ok.add(name);
  }
  return ok;
}

function writePassing(names) {
  const order = new Map(listed.map((n, i) => [n, i]));
  names.sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
  const head = [
    '# LTP syscall tests that pass under salty as under qemu-aarch64: a regression here fails tests/ltp/ltp.test.ts.',
    '# Add tests with `node tests/ltp/update-passing.mjs [names...]` (each must match qemu in 2 runs in a row); see docs/ltp.md.',
  ];
  fs.writeFileSync(FILE, `${head.join('\n')}\n${names.join('\n')}\n`);
}
