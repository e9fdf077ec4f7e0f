// SSE integer semantics against the host CPU (live with a fresh seed when gcc
// and an x86-64 host are present) and against committed goldens.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { nativeRunner } from './sse-oracle/harness';
import { intSpecs } from './sse-oracle/specs-int';
import { checkSpec } from './sse-oracle/suite';

const GOLDEN_SEED = 0x5eed0002;
const GOLDEN_COUNT = Number(process.env.SSE_GOLDEN_COUNT ?? 400);
const LIVE_COUNT = Number(process.env.SSE_LIVE_COUNT ?? 400);
const RECORD = process.env.SSE_RECORD === '1';
const goldenPath = (name: string): string => fileURLToPath(new URL(`./sse-oracle/golden/${name}.bin.gz`, import.meta.url));

describe('SSE integer operations against the host CPU', () => {
  for (const spec of intSpecs) {
    it(`${spec.name}: goldens`, () => {
      const r = checkSpec(spec, GOLDEN_SEED, GOLDEN_COUNT, goldenPath(spec.name), RECORD);
      expect(r.first ?? '').toBe('');
      expect(r.mismatches).toBe(0);
    });
  }
  const live = nativeRunner() ? it : it.skip;
  for (const spec of intSpecs) {
    live(`${spec.name}: fresh seed, native`, () => {
      const seed = (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0;
      const r = checkSpec(spec, seed, LIVE_COUNT, null);
      expect(r.first ?? '', `seed ${seed}`).toBe('');
    });
  }
});
