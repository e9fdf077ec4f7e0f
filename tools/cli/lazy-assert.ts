// `assert` in the command line's bundle (tools/build.mjs): elfy's parser and
// yargs's platform shim load node:assert when they load, for checks on paths
// a run never takes; loading it cost every start 3-4 ms. These load
// node:assert at their first call.

import { createRequire } from 'node:module';

type Check = (actual: unknown, expected: unknown, message?: string) => void;

const real = (name: 'equal' | 'strictEqual' | 'notStrictEqual'): Check => (createRequire(import.meta.url)('node:assert') as Record<typeof name, Check>)[name];

export const equal: Check = (actual, expected, message) => real('equal')(actual, expected, message);
export const strictEqual: Check = (actual, expected, message) => real('strictEqual')(actual, expected, message);
export const notStrictEqual: Check = (actual, expected, message) => real('notStrictEqual')(actual, expected, message);
