// Reads kvm-unit-tests' arm/unittests.cfg and turns each entry into the
// qemu-system-aarch64 and `salty boot` command lines the comparison runs.

export interface KutEntry {
  readonly name: string;
  readonly file: string;
  readonly smp: number;
  readonly testArgs: string;
  readonly qemuParams: readonly string[];
  readonly groups: readonly string[];
  readonly accel: string | undefined;
  readonly timeoutSeconds: number;
}

/** $MAX_SMP is the host's CPU count in the suite's runner; fixed here so the goldens do not depend on the machine. */
export const MAX_SMP = 4;
const DEFAULT_TIMEOUT = 90;

function unquote(v: string): string {
  const t = v.trim();
  return (t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"')) ? t.slice(1, -1) : t;
}

/** The smp expressions the file uses: a number, $MAX_SMP, or $((($MAX_SMP < N)?$MAX_SMP:N)). */
export function evalSmp(expr: string, maxSmp = MAX_SMP): number {
  const t = expr.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (t === '$MAX_SMP') return maxSmp;
  const m = /^\$\(\(\(\$MAX_SMP < (\d+)\)\?\$MAX_SMP:(\d+)\)\)$/.exec(t);
  if (m && m[1] === m[2]) return Math.min(maxSmp, Number(m[1]));
  throw new Error(`unittests.cfg: smp expression not understood: ${expr}`);
}

function seconds(v: string): number {
  const m = /^(\d+)(s|m)?$/.exec(v.trim());
  if (!m) throw new Error(`unittests.cfg: timeout not understood: ${v}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

export function parseUnittestsCfg(text: string, maxSmp = MAX_SMP): KutEntry[] {
  const raw: Record<string, string>[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const section = /^\[(.+)\]\s*$/.exec(line);
    if (section) {
      raw.push({ name: section[1] });
      continue;
    }
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (kv && raw.length > 0) raw[raw.length - 1][kv[1]] = kv[2];
  }
  return raw.map((r) => ({
    name: r.name,
    file: r.file,
    smp: r.smp === undefined ? 1 : evalSmp(r.smp, maxSmp),
    testArgs: r.test_args === undefined ? '' : unquote(r.test_args),
    qemuParams: r.qemu_params === undefined ? [] : r.qemu_params.trim().split(/\s+/),
    groups: r.groups === undefined ? [] : r.groups.trim().split(/\s+/),
    accel: r.accel,
    timeoutSeconds: r.timeout === undefined ? DEFAULT_TIMEOUT : seconds(r.timeout),
  }));
}

/** Entries QEMU can run here: TCG (not accel = kvm), arm64, and not the migration ones (they wait for a migration). */
export function tcgEntries(entries: readonly KutEntry[]): KutEntry[] {
  return entries.filter((e) => e.accel !== 'kvm' && !e.groups.includes('migration') && !e.groups.includes('nodefault'));
}

/** -m and -machine options from qemu_params, as both command lines take them. */
function machineOptions(e: KutEntry): { memory?: string; machine: string[] } {
  const machine: string[] = [];
  let memory: string | undefined;
  for (let i = 0; i < e.qemuParams.length; i++) {
    const p = e.qemuParams[i];
    if (p === '-m') memory = e.qemuParams[++i];
    else if (p === '-machine' || p === '-M') machine.push(...e.qemuParams[++i].split(','));
    else throw new Error(`${e.name}: qemu_params option not handled: ${p}`);
  }
  return { memory, machine };
}

export function qemuCommand(e: KutEntry, flat: string): string[] {
  const { memory, machine } = machineOptions(e);
  return [
    '-nodefaults', '-machine', ['virt', ...machine].join(','), '-accel', 'tcg', '-cpu', 'cortex-a57',
    '-display', 'none', '-serial', 'stdio', '-smp', String(e.smp), ...(memory ? ['-m', memory] : []),
    '-kernel', flat, ...(e.testArgs ? ['-append', e.testArgs] : []),
  ];
}

/** salty boot's spelling of the same run; an option salty lacks is passed anyway so salty says so. */
export function saltyCommand(e: KutEntry, flat: string, timeoutSeconds: number): string[] {
  const { memory, machine } = machineOptions(e);
  // QEMU runs with -nodefaults: no virtio-net-pci card on the bus.
  const args = ['boot', '--timeout', String(timeoutSeconds), '-nodefaults'];
  if (memory) args.push('-m', /^\d+$/.test(memory) ? `${memory}M` : memory);
  if (machine.length > 0) args.push('-machine', machine.join(','));
  args.push('-smp', String(e.smp));
  if (e.testArgs) args.push('--append', e.testArgs);
  args.push(flat);
  return args;
}

const RESULT = /^(PASS|FAIL|SKIP|XFAIL|XPASS|ABORT|SUMMARY):/;

/** The lines the comparison looks at: results and the summary, carriage returns dropped. */
export function resultLines(output: string): string[] {
  return output.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => RESULT.test(l));
}
