import { describe, expect, it } from 'vitest';
import { compare } from './native-oracle';

describe('native oracle', () => {
  it('agrees on a few ALU instructions', () => {
    const r = compare({ code: 'add rax, rbx\nsub ecx, edx\nadc r8b, r9b', regs: { 0: 5n, 3: -7n, 1: 3n, 2: 9n, 8: 0xffn, 9: 1n }, flags: 1 });
    expect(r.emulated).toEqual(r.native);
  });
});
