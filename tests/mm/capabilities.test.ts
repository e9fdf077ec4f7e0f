import { describe, expect, it } from 'vitest';
import { CSpace } from '../../kernel/cap/cspace';
import { ALL_RIGHTS, RIGHT_GRANT, RIGHT_MAP, RIGHT_READ, RIGHT_WRITE } from '../../kernel/cap/rights';

describe('capability spaces', () => {
  it('mint only narrows rights', () => {
    const a = new CSpace(8);
    a.insertOriginal(0, 'frame', RIGHT_READ | RIGHT_MAP);
    expect(a.mint(0, a, 1, RIGHT_READ).rights).toBe(RIGHT_READ);
    expect(() => a.mint(1, a, 2, RIGHT_READ | RIGHT_WRITE)).toThrow(/not within/);
    expect(a.lookup(2)).toBeNull();
  });

  it('copy, move and delete keep the derivation tree whole', () => {
    const a = new CSpace(8);
    const b = new CSpace(8);
    const root = a.insertOriginal(0, 'ut', ALL_RIGHTS);
    const c1 = a.copy(0, b, 3);
    const c2 = b.mint(3, b, 4, RIGHT_GRANT);
    b.move(3, a, 5);
    expect(a.lookup(5)).toBe(c1);
    expect(b.lookup(3)).toBeNull();
    a.delete(5);
    expect(c2.parent).toBe(root);
    expect(() => b.copy(3, b, 6)).toThrow(/empty/);
    expect(() => a.copy(0, b, 4)).toThrow(/occupied/);
  });

  it('revoke removes every derived capability in every space, and only those', () => {
    const a = new CSpace(8);
    const b = new CSpace(8);
    a.insertOriginal(0, 'x');
    a.insertOriginal(7, 'y');
    a.copy(0, b, 1);
    b.copy(1, b, 2);
    b.mint(2, a, 3, RIGHT_READ);
    const gone = a.revoke(0);
    expect(gone.length).toBe(3);
    expect([b.lookup(1), b.lookup(2), a.lookup(3)]).toEqual([null, null, null]);
    expect(a.lookup(0)?.object).toBe('x');
    expect(a.used + b.used).toBe(2);
  });
});
