// Human-readable differences between an expected (QEMU) and an actual (our CPU) result.

import { RisuResult, S_FPCR, S_FPSR, S_NZCV, S_SP, S_V } from './case-format';

const hex = (v: bigint | number, digits: number) => '0x' + v.toString(16).padStart(digits, '0');

function fields(r: RisuResult): Map<string, string> {
  const dv = new DataView(r.state.buffer, r.state.byteOffset, r.state.byteLength);
  const m = new Map<string, string>();
  m.set('signal', String(r.signal));
  m.set('pc', hex(r.pc, 16));
  for (let i = 0; i < 31; i++) m.set(`x${i}`, hex(dv.getBigUint64(8 * i, true), 16));
  m.set('sp', hex(dv.getBigUint64(S_SP, true), 16));
  m.set('nzcv', hex(dv.getUint32(S_NZCV, true) >>> 28, 1));
  m.set('fpcr', hex(dv.getUint32(S_FPCR, true), 8));
  m.set('fpsr', hex(dv.getUint32(S_FPSR, true), 8));
  for (let i = 0; i < 32; i++) {
    const hi = dv.getBigUint64(S_V + 16 * i + 8, true);
    const lo = dv.getBigUint64(S_V + 16 * i, true);
    m.set(`v${i}`, hex(hi, 16) + '_' + lo.toString(16).padStart(16, '0'));
  }
  for (const [i, v] of r.changed) m.set(`mem[data+${hex(4 * i, 3)}]`, hex(v, 8));
  return m;
}

/** One line per differing field: "name: expected E, actual A" (memory words absent on one side read "unchanged"). */
export function diffResults(expected: RisuResult, actual: RisuResult): string[] {
  const e = fields(expected);
  const a = fields(actual);
  const names = [...new Set([...e.keys(), ...a.keys()])];
  return names
    .filter((n) => e.get(n) !== a.get(n))
    .map((n) => `${n}: expected ${e.get(n) ?? 'unchanged'}, actual ${a.get(n) ?? 'unchanged'}`);
}

/** The actual values only, for a mismatch whose expected state exists only as a hash. */
export function describeResult(r: RisuResult, names: string[] = ['signal', 'pc', 'nzcv', 'fpsr']): string[] {
  const f = fields(r);
  return names.map((n) => `${n}: ${f.get(n)}`);
}
