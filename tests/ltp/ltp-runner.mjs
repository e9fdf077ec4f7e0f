// Runs LTP syscall tests under qemu-aarch64 or salty and reads each one's
// result: the summary (passed, failed, broken, skipped, warnings) and the
// exit status. Shared by the vitest suite (ltp.test.ts), the list generator
// (make-list.mjs) and the command line:
//   node tests/ltp/ltp-runner.mjs [--mode qemu|salty|both] [--jobs N (CPUs)] [--timeout 60]
//        [--spawn (a node process per salty test)] [--tsv rows.tsv] [--record-durations] [names...]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaltyLane, WORKER } from './salty-pool.mjs';
import { compareResults } from './same-summary.mjs';
import { writeDurations } from './ltp-order.mjs';
import { machineArgs, machineFor } from './machine-options.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../..');
export let SALTY = path.join(REPO, 'dist/salty.mjs');
/** Another salty bundle (the triage uses a diagnostic build). */
export function setSalty(file) {
  SALTY = file;
}
const SYSCALLS = 'testcases/kernel/syscalls';
const OUTPUT_CAP = 256 * 1024;
const RUNTIME_MUL = process.env.LTP_RUNTIME_MUL ?? '0.1';

/** The built LTP tree: $LTP_DIR, else tests/ltp/.cache/ltp when build.sh built all of it there. */
export function findLtp() {
  const usable = (dir) => fs.existsSync(path.join(dir, 'runtest/syscalls')) && fs.existsSync(path.join(dir, SYSCALLS));
  if (process.env.LTP_DIR) return usable(process.env.LTP_DIR) ? process.env.LTP_DIR : undefined;
  const cache = path.join(HERE, '.cache/ltp');
  const built = fs.existsSync(cache) && fs.readdirSync(cache).some((f) => f.startsWith('.salty-built-'));
  return built && usable(cache) ? cache : undefined;
}

/** runtest/syscalls: one {name, argv} per test line. */
export function readRuntest(ltpDir) {
  const text = fs.readFileSync(path.join(ltpDir, 'runtest/syscalls'), 'utf8');
  const entries = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [name, ...argv] = t.split(/\s+/);
    if (argv.length) entries.push({ name, argv });
  }
  return entries;
}

/** Every executable of testcases/kernel/syscalls, by file name (tests and their helpers). */
export function indexExecutables(ltpDir) {
  const index = new Map();
  const root = path.join(ltpDir, SYSCALLS);
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !/\.(c|h|o|a|sh|txt|py|md)$/.test(e.name) && e.name !== 'Makefile' && isAarch64Elf(p)) {
        if (!index.has(e.name)) index.set(e.name, p);
      }
    }
  };
  walk(root);
  return index;
}

function isAarch64Elf(file) {
  try {
    const st = fs.statSync(file);
    if (!(st.mode & 0o111)) return false;
    const fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(20);
    fs.readSync(fd, b, 0, 20, 0);
    fs.closeSync(fd);
    return b.readUInt32BE(0) === 0x7f454c46 && b.readUInt16LE(18) === 183;
  } catch {
    return false;
  }
}

/**
 * Two LTPROOTs (<workDir>/salty and <workDir>/qemu) whose testcases/bin, on
 * PATH and where LTP copies a test's resource files from, hold the same helpers. Salty's holds symlinks (salty
 * execs aarch64 ELFs itself). qemu-aarch64 passes a guest execve to the host
 * kernel, which has no aarch64 loader registered, so qemu's directory holds
 * one shell script per helper that re-enters qemu-aarch64 with the real
 * binary: a test that runs a helper through PATH (execvp, tst_get_path)
 * then works without touching the machine's binfmt_misc.
 */
export function makeBinDirs(index, workDir) {
  const saltyBin = path.join(workDir, 'salty/testcases/bin');
  const qemuBin = path.join(workDir, 'qemu/testcases/bin');
  fs.mkdirSync(saltyBin, { recursive: true });
  fs.mkdirSync(qemuBin, { recursive: true });
  const qemu = which('qemu-aarch64') ?? 'qemu-aarch64';
  for (const [name, file] of index) {
    const link = path.join(saltyBin, name);
    if (!fs.existsSync(link)) fs.symlinkSync(file, link);
    const script = path.join(qemuBin, name);
    fs.writeFileSync(script, `#!/bin/sh\nexec ${qemu} ${file} "$@"\n`, { mode: 0o755 });
  }
  return { saltyBin, qemuBin, saltyRoot: path.join(workDir, 'salty'), qemuRoot: path.join(workDir, 'qemu') };
}

export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {}
  }
  return undefined;
}

const KEYS = ['passed', 'failed', 'broken', 'skipped', 'warnings'];

/**
 * The result counts a test printed: new-style tests end with a "Summary:"
 * block; old-style ones print one "name N TPASS : msg" line per result, which
 * we count (TINFO lines are not results, but show the output is LTP's).
 */
export function parseSummary(text) {
  const block = text.lastIndexOf('\nSummary:');
  if (block >= 0 || text.startsWith('Summary:')) {
    const s = {};
    const tail = text.slice(block + 1);
    for (const k of KEYS) {
      const m = new RegExp(`^${k}\\s+(\\d+)`, 'm').exec(tail);
      if (!m) return undefined;
      s[k] = Number(m[1]);
    }
    return s;
  }
  const s = { passed: 0, failed: 0, broken: 0, skipped: 0, warnings: 0 };
  let any = false;
  const kinds = { TPASS: 'passed', TFAIL: 'failed', TBROK: 'broken', TCONF: 'skipped', TWARN: 'warnings' };
  // Some old-style tests print only TINFO lines and tell the result by their status.
  for (const line of text.split('\n')) {
    const m = /^\S+\s+\d+\s+(TPASS|TFAIL|TBROK|TCONF|TWARN|TINFO)\s+:/.exec(line);
    if (m) {
      if (m[1] !== 'TINFO') s[kinds[m[1]]]++;
      any = true;
    }
  }
  return any ? s : undefined;
}

export function formatSummary(r) {
  if (!r) return 'no result';
  if (r.timedOut) return r.timeout === 'cpu' ? 'timeout (CPU)' : 'timeout';
  const s = r.summary ? KEYS.map((k) => r.summary[k]).join('/') : 'no-summary';
  return `status ${r.status} ${s}`;
}

/**
 * A test passes when it exits 0 in time with a summary that has no failure,
 * breakage or warning (some old-style tests print TFAIL and still exit 0).
 */
export function isPass(r) {
  const s = r.summary;
  return !r.timedOut && r.status === 0 && s !== undefined && s.failed === 0 && s.broken === 0 && s.warnings === 0;
}

/**
 * Salty's run matches qemu's: same status, same counts, or counts that
 * differ only by sub-tests qemu skipped for lack of a syscall (same-summary.mjs;
 * qemuSkips: the reasons qemu printed for its skips, from qemu-skips.txt).
 */
export function sameResult(a, b, qemuSkips) {
  return compareResults(a, b, qemuSkips).same;
}

/** qemu-skips.txt: "name<TAB>reason" per distinct reason a listed test printed for a skip under qemu. */
export function readQemuSkips(file = path.join(HERE, 'qemu-skips.txt')) {
  const skips = new Map();
  if (!fs.existsSync(file)) return skips;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    const name = line.slice(0, tab);
    if (!skips.has(name)) skips.set(name, []);
    skips.get(name).push(line.slice(tab + 1));
  }
  return skips;
}

/**
 * Runs one entry. mode 'qemu' or 'salty'. Each test gets its own temporary
 * working directory (also its TMPDIR), removed afterwards.
 */
export function runOne(entry, mode, opts, lane) {
  const { index, bins, sysroot, saltyArgs = [] } = opts;
  const timeoutMs = opts.timeoutFor?.(entry.name) ?? opts.timeoutMs ?? 120000;
  const [cmd, ...args] = entry.argv;
  const bin = index.get(cmd);
  if (!bin) return Promise.resolve({ name: entry.name, mode, status: -1, summary: undefined, timedOut: false, ms: 0, output: `no binary ${cmd}` });
  const tmp = fs.mkdtempSync(path.join(opts.tmpBase ?? os.tmpdir(), `ltp-${entry.name}-`));
  const binDir = mode === 'qemu' ? bins.qemuBin : bins.saltyBin;
  const env = {
    LTPROOT: mode === 'qemu' ? bins.qemuRoot : bins.saltyRoot,
    PATH: `${binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    TMPDIR: tmp,
    HOME: tmp,
    LANG: 'C',
    LTP_COLORIZE_OUTPUT: '0',
    TERM: 'dumb',
    // LTP's knob for slow machines, the same for both runners: a test with a
    // .runtime loops for a tenth of it (at least 1 s; qemu-golden.txt was
    // recorded so). Under salty a second of guest time is 62.5 million
    // instructions, and a loop of syscalls takes far longer on the host.
    LTP_RUNTIME_MUL: RUNTIME_MUL,
  };
  if (lane) {
    const req = { file: bin, args, argv0: cmd, env: Object.entries(env).map(([k, v]) => `${k}=${v}`), cwd: tmp, sysroot, strace: saltyArgs.includes('--strace'), ...machineFor(entry.name) };
    // timeoutMs is CPU time here (salty-pool.mjs), with a wall-clock backstop.
    return lane.run(req, { cpuMs: timeoutMs, wallMs: opts.wallTimeoutMs ?? Math.max(300_000, 10 * timeoutMs), outputCap: OUTPUT_CAP }).then((r) => {
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
      return { name: entry.name, mode, status: r.status, summary: parseSummary(r.output), timedOut: r.timedOut, timeout: r.timeout, ms: r.ms, cpuMs: r.cpuMs, output: r.output, retired: r.retired };
    });
  }
  const argv = mode === 'qemu' ? [...qemuPrefix(), 'qemu-aarch64', '-0', cmd, bin, ...args] : [process.execPath, SALTY, 'run', ...(sysroot ? ['-L', sysroot] : []), ...machineArgs(entry.name), ...saltyArgs, '-0', cmd, bin, ...args];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: tmp, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (d) => {
      if (output.length < OUTPUT_CAP) output += d.toString('latin1');
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    // Orphans of a test that exited would hold its pipes open: end them soon after.
    child.on('exit', () => setTimeout(() => killGroup(child.pid), 2000).unref());
    child.on('error', (e) => {
      output += `\nspawn error: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid);
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
      const status = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : -1);
      resolve({ name: entry.name, mode, status, summary: parseSummary(output), timedOut, ms: Date.now() - started, output });
    });
  });
}

let prefix;
/**
 * qemu runs the tests on the host as the user running us (root in CI): in
 * their own UTS and IPC namespaces when we may make them, so that a test
 * that sets the hostname or leaves SysV IPC objects behind touches nothing
 * shared. No user namespace: the tests keep their capabilities.
 */
export function qemuPrefix() {
  if (prefix === undefined) {
    const r = spawnSync('unshare', ['--uts', '--ipc', 'true'], { stdio: 'ignore' });
    prefix = r.status === 0 ? ['unshare', '--uts', '--ipc'] : [];
  }
  return prefix;
}

/**
 * Kills what a test left: its process group and, since LTP runs each test
 * in a child with a process group of its own, every process of the session
 * the test was started in (detached: a new session whose id is its pid).
 */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
  for (const other of sessionMembers(pid)) {
    try {
      process.kill(other, 'SIGKILL');
    } catch {}
  }
}

function sessionMembers(sid) {
  const out = [];
  let names = [];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${n}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[3]) === sid) out.push(Number(n));
    } catch {}
  }
  return out;
}

/**
 * Runs entries with `jobs` at a time; onResult sees each result as it comes.
 * With opts.deadline (a Date.now() value), no test starts after it but those
 * opts.mustRun(name) accepts: the results of those not run are left undefined.
 */
export async function runAll(entries, mode, opts, onResult) {
  const jobs = opts.jobs ?? defaultJobs();
  const results = new Array(entries.length);
  let next = 0;
  // Salty runs in worker threads that stay alive (one fresh system per test), unless opts.spawn.
  const pooled = mode === 'salty' && !opts.spawn && fs.existsSync(WORKER);
  const worker = async () => {
    const lane = pooled ? new SaltyLane() : undefined;
    try {
      // Past the deadline only the tests opts.mustRun names still start.
    while (next < entries.length && !(opts.deadline && Date.now() >= opts.deadline && !opts.mustRun?.(entries[next].name))) {
        const i = next++;
        results[i] = await runOne(entries[i], mode, opts, lane);
        onResult?.(results[i]);
      }
    } finally {
      await lane?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, entries.length) }, worker));
  return results;
}

/** One test per CPU. */
export function defaultJobs() {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** The committed qemu results: "name status passed failed broken skipped warnings". */
export function readGolden(file) {
  const golden = new Map();
  if (!fs.existsSync(file)) return golden;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [name, status, ...counts] = t.split(/\s+/);
    const summary = Object.fromEntries(KEYS.map((k, i) => [k, Number(counts[i])]));
    golden.set(name, { name, status: Number(status), summary, timedOut: false });
  }
  return golden;
}

/** The result salty must give: qemu's (qemu-golden.txt), except where linux-golden.txt corrects a qemu-user bug or gap. */
export function readExpected() {
  const golden = readGolden(path.join(HERE, 'qemu-golden.txt'));
  for (const [name, r] of readGolden(path.join(HERE, 'linux-golden.txt'))) golden.set(name, r);
  return golden;
}

export function goldenLine(r) {
  return [r.name, r.status, ...KEYS.map((k) => r.summary[k])].join(' ');
}

/** Names, one a line, # comments allowed. */
export function readNames(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** Everything a run needs: the tree, the runtest entries by name, the PATH dirs, salty's sysroot. */
export function prepare(ltpDir, workDir) {
  const index = indexExecutables(ltpDir);
  const entries = new Map(readRuntest(ltpDir).map((e) => [e.name, e]));
  fs.mkdirSync(workDir, { recursive: true });
  // mkdtemp makes it 0700: a test that drops root (to nobody) must still reach
  // the helpers and salty's /bin/sh under it, as it reaches the host's /bin.
  fs.chmodSync(workDir, 0o755);
  const bins = makeBinDirs(index, workDir);
  return { ltpDir, index, entries, bins, sysroot: makeSysroot(workDir) };
}

/** The shell tools LTP's library and tests start (system("cp ..."), execlp("true"), ...). */
const TOOLS = ['sh', 'cp', 'mv', 'rm', 'ln', 'cat', 'echo', 'true', 'false', 'ls', 'mkdir', 'rmdir', 'chmod', 'chown', 'touch', 'sleep', 'kill', 'grep', 'sed', 'head', 'tail', 'wc', 'id', 'env', 'test', 'printf', 'dd'];

/**
 * Salty's guest sees the host's / but can only run aarch64 programs, while
 * qemu-aarch64's guest runs the host's own /bin/sh and friends. So salty gets
 * a sysroot (-L, searched first for absolute paths) whose /bin and /usr/bin
 * hold busybox-static's arm64 applets (tests/realworld/fetch.sh downloads
 * it; LTP_BUSYBOX names another), when it is there.
 */
export function makeSysroot(workDir) {
  const busybox = process.env.LTP_BUSYBOX ?? path.join(REPO, 'tests/realworld/.cache/root/bin/busybox');
  if (!fs.existsSync(busybox)) return undefined;
  const root = path.join(workDir, 'sysroot');
  for (const dir of ['bin', 'usr/bin']) {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    for (const tool of TOOLS) {
      const link = path.join(root, dir, tool);
      if (!fs.existsSync(link)) fs.symlinkSync(busybox, link);
    }
  }
  // Our useradd/userdel (tools/useradd.c): they edit the guest's /etc/passwd and /etc/group in salty's memory only.
  fs.mkdirSync(path.join(root, 'usr/sbin'), { recursive: true });
  for (const tool of ['useradd', 'userdel']) {
    const link = path.join(root, 'usr/sbin', tool);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(HERE, 'tools/useradd.elf'), link);
  }
  return root;
}

/** The first line that explains a failure: TFAIL/TBROK/TWARN, host errors or a timeout, else the first skip (TCONF). */
export function firstCause(output = '') {
  const lines = output.split('\n');
  const hit = lines.find((l) => /TFAIL|TBROK|TWARN|Error|error:|exception|salty: timeout/i.test(l) && !/^\s*(failed|broken|warnings)\s+\d/.test(l));
  // A test that only skipped: its first reason.
  const skip = lines.find((l) => /TCONF/.test(l));
  return (hit ?? skip ?? lines.find((l) => l.trim()) ?? '').trim().slice(0, 240);
}

async function main() {
  const argv = process.argv.slice(2);
  const opt = (name, def) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv.splice(i, 2)[1] : def;
  };
  const flag = (name) => (argv.includes(name) ? (argv.splice(argv.indexOf(name), 1), true) : false);
  const mode = opt('--mode', 'both');
  const listFile = opt('--list', path.join(HERE, 'list.txt'));
  const jobs = Number(opt('--jobs', String(defaultJobs())));
  const timeoutMs = Number(opt('--timeout', '30')) * 1000;
  const ltpDir = opt('--ltp', findLtp());
  const spawnSalty = flag('--spawn');
  const record = flag('--record-durations');
  const tsv = opt('--tsv', undefined);
  if (!ltpDir) throw new Error('no built LTP: run tests/ltp/build.sh or set LTP_DIR');
  const names = argv.length ? argv : readNames(listFile);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ltp-run-'));
  const ctx = prepare(ltpDir, work);
  const entries = names.map((n) => ctx.entries.get(n) ?? { name: n, argv: [n] });
  const modes = mode === 'both' ? ['qemu', 'salty'] : [mode];
  const golden = readExpected();
  const corrected = readGolden(path.join(HERE, 'linux-golden.txt'));
  const skips = readQemuSkips();
  const rows = tsv ? fs.openSync(tsv, 'w') : undefined;
  const byMode = {};
  const t0 = Date.now();
  for (const m of modes) {
    // As the suite: the tests of salty-passing.txt get four times the limit.
    const required = new Set(readNames(path.join(HERE, 'salty-passing.txt')));
    const timeoutFor = (n) => (required.has(n) ? 4 * timeoutMs : timeoutMs);
    byMode[m] = await runAll(entries, m, { ...ctx, jobs, timeoutMs, timeoutFor, spawn: spawnSalty }, (r) => {
      const cpu = r.cpuMs !== undefined ? ` cpu ${(r.cpuMs / 1000).toFixed(1)}s` : '';
      const line = `${m.padEnd(5)} ${r.name.padEnd(24)} ${formatSummary(r).padEnd(28)} ${(r.ms / 1000).toFixed(1)}s${cpu}`;
      console.log(isPass(r) ? line : `${line}  ${firstCause(r.output)}`);
      if (rows !== undefined) {
        const v = compareResults(r, golden.get(r.name), skips.get(r.name));
        fs.writeSync(rows, `${[m, r.name, v.same ? 'same' : 'differs', r.ms, r.cpuMs ?? '', r.retired ?? '', r.timedOut ? 'timeout' : '', formatSummary(r), v.how, v.same ? '' : firstCause(r.output)].join('\t')}\n`);
      }
    });
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  if (byMode.salty) {
    // Against qemu's live results, or else the recorded ones.
    const oracle = entries.map((e, i) => corrected.get(e.name) ?? byMode.qemu?.[i] ?? golden.get(e.name));
    const bad = byMode.salty.filter((r, i) => !oracle[i] || !isPass(oracle[i]) || !sameResult(r, oracle[i], skips.get(r.name)));
    console.log(`LTP syscalls: ${entries.length - bad.length} passed, ${bad.length} failed (of ${entries.length}; ${jobs} jobs, ${secs} s)`);
    if (bad.length) console.log(`failing: ${bad.map((r) => r.name).join(' ')}`);
    if (record) writeDurations(byMode.salty);
  }
  fs.rmSync(work, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(2);
  });
}
