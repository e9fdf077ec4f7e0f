// SSE floating-point semantics against the host CPU (live when gcc and an
// x86-64 host are present, with a fresh seed) and against committed goldens.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ESTIMATE_SPECS, hostMatchesEstimates, nativeRunner, VENDOR_NAN_SPECS } from './sse-oracle/harness';
import { fpSpecs } from './sse-oracle/specs-fp';
import { checkSpec } from './sse-oracle/suite';

const GOLDEN_SEED = 0x5eed0001;
const GOLDEN_COUNT = Number(process.env.SSE_GOLDEN_COUNT ?? 1500);
const LIVE_COUNT = Number(process.env.SSE_LIVE_COUNT ?? 800);
const RECORD = process.env.SSE_RECORD === '1';
const goldenPath = (name: string): string => fileURLToPath(new URL(`./sse-oracle/golden/${name}.bin.gz`, import.meta.url));

describe('SSE floating point against the host CPU', () => {
  for (const spec of fpSpecs) {
    it(`${spec.name}: goldens`, () => {
      const r = checkSpec(spec, GOLDEN_SEED, GOLDEN_COUNT, goldenPath(spec.name), RECORD);
      expect(r.first ?? '').toBe('');
      expect(r.mismatches).toBe(0);
    });
  }
  const live = nativeRunner() ? it : it.skip;
  // An estimate's bits and a dot product's NaN are the vendor's: live only on an Intel host, as salty's CPUID says.
  for (const spec of fpSpecs.filter((x) => hostMatchesEstimates() || !(ESTIMATE_SPECS.test(x.name) || VENDOR_NAN_SPECS.test(x.name)))) {
    live(`${spec.name}: fresh seed, native`, () => {
      const seed = (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0;
      const r = checkSpec(spec, seed, LIVE_COUNT, null);
      expect(r.first ?? '', `seed ${seed}`).toBe('');
    });
  }
});
