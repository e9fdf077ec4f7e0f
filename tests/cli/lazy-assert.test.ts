// tools/cli/lazy-assert.ts stands in for node:assert in the command line's bundle: its checks must still fail.

import { describe, expect, it } from 'vitest';
import { equal, notStrictEqual, strictEqual } from '../../tools/cli/lazy-assert';

describe('lazy assert', () => {
  it('passes and fails as node:assert does', () => {
    expect(() => equal(1, '1')).not.toThrow();
    expect(() => equal(1, 2, 'one is not two')).toThrow('one is not two');
    expect(() => strictEqual('a', 'a')).not.toThrow();
    expect(() => strictEqual(1, '1')).toThrow();
    expect(() => notStrictEqual(1, 2)).not.toThrow();
    expect(() => notStrictEqual(3, 3, 'same')).toThrow('same');
  });
});
