// The order the suite runs the list in. The tests of salty-passing.txt come
// first, longest first (by durations.txt, recorded by `ltp-runner.mjs
// --record-durations`), so that two long ones do not meet at the end of the
// run; then the rest, rotated by the date: when the time budget cuts a run
// short, another day's run covers the tests this one left out.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DURATIONS = path.join(HERE, 'durations.txt');

/** durations.txt: "name milliseconds" per test: CPU time in the worker pool (wall time when unknown). */
export function readDurations(file = DURATIONS) {
  const d = new Map();
  if (!fs.existsSync(file)) return d;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [name, ms] = line.trim().split(/\s+/);
    if (name && !name.startsWith('#') && Number.isFinite(Number(ms))) d.set(name, Number(ms));
  }
  return d;
}

export function writeDurations(results, file = DURATIONS) {
  const rows = results.filter((r) => r && r.ms !== undefined).map((r) => `${r.name} ${r.cpuMs ?? r.ms}${r.timedOut ? ' timeout' : ''}`);
  fs.writeFileSync(file, `# CPU milliseconds per test under salty in the worker pool (ltp-runner.mjs --record-durations, or the suite's .cache/durations.txt); orders the suite\n${rows.join('\n')}\n`);
}

/** names, the required ones first (longest first), then the others rotated by the day of date. */
export function rotation(names, required, date, durations = readDurations()) {
  const first = names.filter((n) => required.has(n));
  const known = (n) => durations.get(n) ?? 0;
  first.sort((a, b) => known(b) - known(a));
  const rest = names.filter((n) => !required.has(n));
  const day = Math.floor(date.getTime() / 86_400_000);
  const shift = rest.length ? (day * 131) % rest.length : 0;
  return [...first, ...rest.slice(shift), ...rest.slice(0, shift)];
}
