// Triage of the LTP list under salty: runs every listed test, and for each
// one that does not give qemu's recorded result, runs it again with --strace
// and writes one line: the first TFAIL/TBROK/TWARN line, the calls that
// answered ENOSYS, the /proc or /sys files that were missing, a timeout or a
// host exception, and which helper branch owns that area.
//   node tests/ltp/triage.mjs [--salty dist/salty.mjs] [--out triage.md] [--jobs N] [--timeout 30] [--no-strace] [names...]
// (--salty: a bundle run as a process per test; otherwise the worker pool of dist/run-worker.mjs.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, defaultJobs, findLtp, firstCause, formatSummary, prepare, readExpected, readNames, readQemuSkips, runAll } from './ltp-runner.mjs';
import { compareResults } from './same-summary.mjs';
import * as runner from './ltp-runner.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv.splice(i, 2)[1] : def;
};
const salty = opt('--salty', undefined);
const out = opt('--out', path.join(HERE, '.cache/triage.md'));
const jobs = Number(opt('--jobs', String(defaultJobs())));
const timeoutMs = Number(opt('--timeout', '30')) * 1000;
const ltpDir = opt('--ltp', findLtp());
const noStrace = argv.includes('--no-strace') ? (argv.splice(argv.indexOf('--no-strace'), 1), true) : false;
if (!ltpDir) throw new Error('no built LTP');
if (salty) runner.setSalty(path.resolve(salty));
const spawn = salty !== undefined;

const names = argv.length ? argv : readNames(path.join(HERE, 'list.txt'));
const golden = readExpected();
const skips = readQemuSkips();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ltp-triage-'));
const ctx = prepare(ltpDir, work);
const entries = names.map((n) => ctx.entries.get(n));
let done = 0;
const results = await runAll(entries, 'salty', { ...ctx, jobs, timeoutMs, spawn }, () => {
  if (++done % 50 === 0) console.error(`${done}/${entries.length}`);
});
const failing = results.filter((r) => !compareResults(r, golden.get(r.name), skips.get(r.name)).same);
const traced = new Map(
  noStrace ? [] : (await runAll(failing.map((r) => ctx.entries.get(r.name)), 'salty', { ...ctx, jobs, timeoutMs, spawn, saltyArgs: ['--strace'] })).map((r) => [r.name, r]),
);

const rows = failing.map((r) => {
  const t = traced.get(r.name);
  const cause = describe(r, t);
  return `- ${r.name}: [${owner(r.name, cause)}] ${cause} (salty ${formatSummary(r)}, qemu ${formatSummary(golden.get(r.name))})`;
});
const head = [
  `# LTP syscalls under salty: triage`,
  '',
  `${new Date().toISOString()}; salty: ${salty ?? runner.SALTY}; LTP: ${ltpDir}`,
  '',
  `LTP syscalls: ${results.length - failing.length} passed, ${failing.length} failed (of ${results.length} in tests/ltp/list.txt)`,
  '',
  'One line per failing test: [owner guess] first cause (summaries as status passed/failed/broken/skipped/warnings).',
  '',
];
fs.writeFileSync(out, `${head.join('\n')}${rows.join('\n')}\n`);
console.log(`LTP syscalls: ${results.length - failing.length} passed, ${failing.length} failed; triage in ${out}`);
fs.rmSync(work, { recursive: true, force: true });

function describe(r, t) {
  const parts = [];
  if (r.timedOut) parts.push(r.timeout === 'cpu' ? `timeout (${timeoutMs / 1000} CPU s)` : 'timeout');
  else {
    const v = compareResults(r, golden.get(r.name), skips.get(r.name));
    if (v.how !== 'identical') parts.push(v.how);
  }
  const host = /(RangeError|TypeError|ReferenceError|Error: [^\n]*\n\s+at |UserFault|salty: internal)[^\n]*/.exec(r.output);
  if (host) parts.push(`host exception: ${host[0].slice(0, 160)}`);
  const trace = t?.output ?? '';
  const enosys = new Set();
  for (const m of trace.matchAll(/^\d+ (\w+)\(.*\) = -1 errno=38 /gm)) if (m[1] !== 'rseq') enosys.add(m[1]);
  if (enosys.size) parts.push(`ENOSYS: ${[...enosys].join(', ')}`);
  const missing = new Set();
  // Only files the host has count: qemu's guest sees them, salty's does not.
  for (const m of trace.matchAll(/^\d+ (?:openat|faccessat|newfstatat|statx|readlinkat)\(\w+,"(\/(?:proc|sys|dev)\/[^"]*)".*= -1 errno=2 /gm)) {
    const hostPath = m[1].replace(/^\/proc\/\d+\//, '/proc/self/');
    if (!m[1].startsWith('/dev/shm/') && fs.existsSync(hostPath)) missing.add(m[1]);
  }
  if (missing.size) parts.push(`missing: ${[...missing].slice(0, 6).join(', ')}`);
  parts.push(firstCause(r.output));
  return parts.join('; ');
}

// The owner of an area, as the lead split the work (a guess from names and cause).
function owner(name, cause) {
  const rules = [
    [/host exception|UserFault|RangeError|TypeError/, 'fuzz'],
    [/^(socket|accept|bind|connect|listen|send|recv|getsockopt|setsockopt|getsockname|getpeername|shutdown)|AF_INET|ENOPROTOOPT/, 'inet'],
    [/^(epoll|timer_|timerfd|signalfd|eventfd|getitimer|setitimer|alarm|poll|ppoll|select|pselect|nanosleep|clock_nanosleep|sleep|clock_getres|clock_gettime)|ENOSYS: .*(epoll|timer_|signalfd|timerfd|eventfd)/, 'event-fds'],
    [/^(mknod|memfd|copy_file_range|splice|tee|vmsplice|flock|fcntl|fallocate|link|unlink|open|creat|msg|sem|shm|ipc|mmap)|ENOSYS: .*(mknodat|memfd|copy_file_range|splice|flock|shm|sem|msg|fallocate)/, 'files-calls'],
    [/^(setuid|setgid|setre|setres|setfs|getgroups|setgroups|capget|capset|chown|fchown|lchown|access|faccessat|chmod|fchmod)|\/proc|\/sys|ENOSYS: .*(chown|setre|setres|setfs|capget|capset|setgroups)|EACCES|EPERM/, 'proc-creds'],
  ];
  for (const [re, who] of rules) if (re.test(name) || re.test(cause)) return who;
  return 'ltp-harness';
}
