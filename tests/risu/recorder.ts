// Records a group's golden data from qemu-aarch64: every case whole, and every
// case cut after each instruction before the one it stopped at, so a later
// mismatch can be pinned to its first differing instruction.

import { RisuCase, SIGTRAP } from './case-format';
import { hashResult } from './case-format';
import { generateCases } from './generator';
import { Golden, GoldenCase, stopIndex } from './golden';
import { runOnQemu } from './qemu-runner';
import { RisuGroup } from './risu-group';

export const FULL_RECORDS = 16;

export function prefixCase(c: RisuCase, length: number): RisuCase {
  return { ...c, code: c.code.slice(0, length) };
}

export function recordGroup(group: RisuGroup, seed: number, count = group.cases): Golden {
  const cases = generateCases(group, seed, count);
  const whole = runOnQemu(cases);
  const cuts: RisuCase[] = [];
  const owners: number[] = [];
  const golden: GoldenCase[] = whole.map((r, i) => {
    const stop = stopIndex(r);
    const n = Math.min(stop, cases[i].code.length - 1);
    for (let k = 1; k <= n; k++) {
      cuts.push(prefixCase(cases[i], k));
      owners.push(i);
    }
    return { stop, signal: r.signal, prefixes: [], hash: hashResult(r) };
  });
  const cutResults = cuts.length ? runOnQemu(cuts) : [];
  cutResults.forEach((r, k) => golden[owners[k]].prefixes.push(hashResult(r)[0]));
  return { seed, cases: golden, full: whole.slice(0, FULL_RECORDS) };
}

/** Instructions a case compares: those before the stop, plus the stopping one unless it is the final BRK. */
export function comparedInstructions(c: GoldenCase, blockLength: number): number {
  if (c.stop === 255) return blockLength;
  return c.signal === SIGTRAP && c.stop >= blockLength ? blockLength : Math.min(c.stop + 1, blockLength);
}
