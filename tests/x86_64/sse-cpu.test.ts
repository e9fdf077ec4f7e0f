// The SSE instructions through the whole CPU (decoder rows, ModRM register
// and memory operands, RFLAGS, #XM/#UD/#GP traps) on the oracle's cases:
// the committed goldens, and a fresh native seed when the host can run it.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ESTIMATE_SPECS, hostMatchesEstimates, nativeRunner, VENDOR_NAN_SPECS } from './sse-oracle/harness';
import { fpSpecs } from './sse-oracle/specs-fp';
import { intSpecs } from './sse-oracle/specs-int';
import { stringSpecs } from './sse-oracle/specs-string';
import { moveSpecs } from './sse-oracle/specs-moves';
import { buildCases, checkSpec } from './sse-oracle/suite';
import { runOnCpu, runOnCpuHighRegs } from './sse-oracle/cpu-runner';

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
  it('XMM8-15 through REX.R/REX.B give the results of XMM0-1', () => {
    const bad: string[] = [];
    let tried = 0;
    for (const spec of [...fpSpecs, ...intSpecs, ...stringSpecs]) {
      if ((spec.modrm ?? 0xc1) !== 0xc1 || /^pcmp|2si|msk|pextr|pinsr|cvtsi|crc32/.test(spec.name)) continue;
      for (const { c, isMem } of buildCases(spec, 0x5eed0005, 40)) {
        if (isMem) continue;
        const high = runOnCpuHighRegs(c);
        if (!high) continue;
        tried++;
        const low = runOnCpu(c);
        if (Buffer.compare(Buffer.from(high.subarray(0, 116)), Buffer.from(low.subarray(0, 116))) !== 0) bad.push(`${spec.name} [${c.code.map((b) => b.toString(16)).join(' ')}]`);
      }
    }
    expect(tried).toBeGreaterThan(3000);
    expect(bad.slice(0, 5)).toEqual([]);
  });
  const live = nativeRunner() ? it : it.skip;
  live('every spec: fresh seed, native', () => {
    const seed = (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0;
    const bad: string[] = [];
    for (const spec of [...fpSpecs, ...intSpecs, ...stringSpecs, ...moveSpecs]) {
      if (!hostMatchesEstimates() && (ESTIMATE_SPECS.test(spec.name) || VENDOR_NAN_SPECS.test(spec.name))) continue;
      const r = checkSpec(spec, seed, LIVE_COUNT, null, false, true);
      if (r.first) bad.push(r.first);
    }
    expect(bad.join('\n'), `seed ${seed}`).toBe('');
  });
});
