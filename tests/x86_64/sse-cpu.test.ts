// The SSE instructions through the whole CPU (decoder rows, ModRM register
// and memory operands, RFLAGS, #XM/#UD/#GP traps) on the oracle's cases:
// the committed goldens, and a fresh native seed when the host can run it.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { nativeRunner } from './sse-oracle/harness';
import { fpSpecs } from './sse-oracle/specs-fp';
import { intSpecs } from './sse-oracle/specs-int';
import { stringSpecs } from './sse-oracle/specs-string';
import { moveSpecs } from './sse-oracle/specs-moves';
import { checkSpec } from './sse-oracle/suite';

const goldenPath = (name: string): string => fileURLToPath(new URL(`./sse-oracle/golden/${name}.bin.gz`, import.meta.url));
const LIVE_COUNT = Number(process.env.SSE_LIVE_COUNT ?? 60);

describe('SSE instructions through the x86-64 CPU', () => {
  const suites = [
    { specs: moveSpecs, seed: 0x5eed0004, count: Number(process.env.SSE_GOLDEN_COUNT ?? 300) },
    { specs: stringSpecs, seed: 0x5eed0003, count: Number(process.env.SSE_GOLDEN_COUNT ?? 3000) },
    { specs: fpSpecs, seed: 0x5eed0001, count: Number(process.env.SSE_GOLDEN_COUNT ?? 1500) },
    { specs: intSpecs, seed: 0x5eed0002, count: Number(process.env.SSE_GOLDEN_COUNT ?? 400) },
  ];
  for (const { specs, seed, count } of suites) {
    for (const spec of specs) {
      it(`${spec.name}: goldens`, () => {
        const r = checkSpec(spec, seed, count, goldenPath(spec.name), false, true);
        expect(r.first ?? '').toBe('');
      });
    }
  }
  const live = nativeRunner() ? it : it.skip;
  live('every spec: fresh seed, native', () => {
    const seed = (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0;
    const bad: string[] = [];
    for (const spec of [...fpSpecs, ...intSpecs, ...stringSpecs, ...moveSpecs]) {
      const r = checkSpec(spec, seed, LIVE_COUNT, null, false, true);
      if (r.first) bad.push(r.first);
    }
    expect(bad.join('\n'), `seed ${seed}`).toBe('');
  });
});
