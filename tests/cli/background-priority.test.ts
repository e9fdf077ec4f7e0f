// `salty` lowers the priority of V8's worker threads at start (tools/cli/background-priority.ts): here, of
// this test process's own threads.

import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lowerBackgroundPriority } from '../../tools/cli/background-priority';

const others = (): number[] => readdirSync('/proc/self/task').map(Number).filter((t) => t !== process.pid);

describe.runIf(process.platform === 'linux')('background thread priority', () => {
  it('leaves every thread alone with SALTY_BACKGROUND_NICE=0, then raises the nice value of all but the main thread', () => {
    const main = getPriority(process.pid);
    const before = new Map(others().map((t) => [t, getPriority(t)]));
    expect(before.size).toBeGreaterThan(0);
    process.env.SALTY_BACKGROUND_NICE = '0';
    try {
      lowerBackgroundPriority();
    } finally {
      delete process.env.SALTY_BACKGROUND_NICE;
    }
    for (const [t, nice] of before) expect(getPriority(t)).toBe(nice);
    lowerBackgroundPriority();
    for (const t of others()) expect(getPriority(t)).toBeGreaterThanOrEqual(10);
    expect(getPriority(process.pid)).toBe(main);
  });
});
