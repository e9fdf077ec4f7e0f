// `assert` in the command line's bundle (tools/build.mjs): elfy's parser and
// yargs's platform shim load node:assert when they load, for checks on paths
// a run never takes; loading it cost every start 3-4 ms. These load
// node:assert at their first call.

import { createRequire } from 'node:module';

const real = (): typeof import('node:assert') => createRequire(import.meta.url)('node:assert');

export function equal(actual: unknown, expected: unknown, message?: string): void {
  if (message === undefined) real().equal(actual, expected);
  else real().equal(actual, expected, message);
}

export function strictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (message === undefined) real().strictEqual(actual, expected);
  else real().strictEqual(actual, expected, message);
}

export function notStrictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (message === undefined) real().notStrictEqual(actual, expected);
  else real().notStrictEqual(actual, expected, message);
}
