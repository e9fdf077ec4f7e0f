// Records a group's golden data natively: every case whole, and every case cut
// after each instruction before the one it stopped at, so a later mismatch can
// be pinned to its first differing instruction without the native oracle.

import { prefixCase, SIGTRAP, X86Case } from './case-format';
import { hashResult, stopIndex } from './canonical';
import { generateCases, X86Group } from './generator';
import { Golden, GoldenCase, OFF_BOUNDARY } from './golden';
import { Oracle, runNative } from './native-runner';

export const FULL_RECORDS = 16;
export const PREFIX_BITS = 0xffff;

/** How many cuts a case has: instructions before its stop, or all but the last when it ran through. */
export function cutCount(c: X86Case, stop: number): number {
  const n = c.offsets.length - 1;
  return Math.min(stop < 0 ? n : stop, n - 1);
}

export function recordGroup(group: X86Group, seed: number, count = group.cases, oracle: Oracle = 'native', harness?: string): Golden {
  const cases = generateCases(group, seed, count);
  const whole = runNative(cases, oracle, harness);
  const cuts: X86Case[] = [];
  const owners: number[] = [];
  const golden: GoldenCase[] = whole.map((r, i) => {
    const stop = stopIndex(cases[i], r);
    for (let k = 1; k <= cutCount(cases[i], stop); k++) {
      cuts.push(prefixCase(cases[i], k));
      owners.push(i);
    }
    return { stop: stop < 0 ? OFF_BOUNDARY : stop, signal: r.signal, prefixes: [], hash: hashResult(cases[i], r) };
  });
  const cutResults = cuts.length ? runNative(cuts, oracle, harness) : [];
  cutResults.forEach((r, k) => golden[owners[k]].prefixes.push(hashResult(cuts[k], r)[0] & PREFIX_BITS));
  return { seed, cases: golden, full: whole.slice(0, FULL_RECORDS) };
}

/** Instructions a case compares: those before the stop, plus the faulting one (not the INT3 after the block). */
export function comparedInstructions(c: GoldenCase, blockLength: number): number {
  if (c.stop === OFF_BOUNDARY) return blockLength;
  return c.signal === SIGTRAP && c.stop >= blockLength ? blockLength : Math.min(c.stop + 1, blockLength);
}
