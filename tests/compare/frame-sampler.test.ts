// The sampler behind salty compare's "frames in use over the run" chart.

import { describe, expect, it } from 'vitest';
import { FRAME_OWNERS } from '../../kernel/mm/frame-owner';
import type { OwnerCounts } from '../../kernel/mm/pmm';
import { FrameSampler, MAX_SAMPLES } from '../../tools/cli/compare-run';

function counts(pageTables: number): OwnerCounts {
  const c = Object.fromEntries(FRAME_OWNERS.map((o) => [o, 0])) as OwnerCounts;
  c.free = 1000;
  c['page-table'] = pageTables;
  return c;
}

describe('FrameSampler', () => {
  it('records the counts read at a return from user mode for every mark the slice crossed', () => {
    let now = counts(1);
    const s = new FrameSampler(100, () => now);
    s.at(0);
    now = counts(2);
    s.at(250); // marks 100 and 200 passed while the CPU ran: frames were what the kernel left, 2
    now = counts(5);
    s.at(260); // no mark crossed
    s.final(330);
    expect(s.points).toEqual([
      { insns: 0, frames: { 'page-table': 1 } },
      { insns: 100, frames: { 'page-table': 2 } },
      { insns: 200, frames: { 'page-table': 2 } },
      { insns: 300, frames: { 'page-table': 5 } },
      { insns: 330, frames: { 'page-table': 5 } },
    ]);
  });

  it('doubles its interval and keeps every other sample when they pile up', () => {
    let n = 0;
    const s = new FrameSampler(10, () => counts(++n));
    for (let t = 0; t <= 10 * 5 * MAX_SAMPLES; t += 10) s.at(t);
    expect(s.points.length).toBeLessThanOrEqual(MAX_SAMPLES + 1);
    expect(s.points.length).toBeGreaterThan(MAX_SAMPLES / 2);
    expect(s.every % 10).toBe(0);
    expect(s.every).toBeGreaterThan(10);
    s.points.forEach((p, i) => expect(p.insns).toBe(i * s.every));
  });
});
