// Runs a batch of RISU cases through the committed harness under qemu-aarch64.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { decodeResults, encodeCases, RisuCase, RisuResult } from './case-format';

export const HARNESS = join(__dirname, 'harness', 'risu-harness.elf');
/** QEMU's max CPU without SVE/SME (a smaller signal frame) and without pointer authentication. */
export const QEMU_CPU = 'max,sve=off,sme=off,pauth=off';

export function haveQemu(): boolean {
  if (process.env.RISU_NO_QEMU) return false;
  return spawnSync('qemu-aarch64', ['--version']).status === 0;
}

export function runOnQemu(cases: readonly RisuCase[]): RisuResult[] {
  const r = spawnSync('qemu-aarch64', ['-cpu', QEMU_CPU, HARNESS], {
    input: encodeCases(cases),
    maxBuffer: 1 << 30,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`qemu-aarch64 harness exited with ${r.status ?? r.signal}: ${r.stderr}`);
  const results = decodeResults(new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength));
  if (results.length !== cases.length) throw new Error(`harness answered ${results.length} of ${cases.length} cases`);
  return results;
}
