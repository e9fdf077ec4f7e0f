// The worker pool the LTP suite runs salty in (salty-pool.mjs over
// dist/run-worker.mjs): a program run twice in one worker gives the same
// output and status as its golden (each run a fresh system), and a run over
// its CPU limit is cut with a "timeout" status. Needs `npm run build`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SaltyLane, WORKER } from './salty-pool.mjs';
import { rotation } from './ltp-order.mjs';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const hasWorker = fs.existsSync(WORKER);

describe.skipIf(!hasWorker)('salty worker pool', () => {
  const lane = new SaltyLane();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'pool-test-'));
  afterAll(async () => {
    await lane.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  });
  const request = (file: string) => ({ file, args: [], argv0: path.basename(file), env: ['PATH=/bin'], cwd });

  it('runs a forking program twice in one worker, each time as its golden says', async () => {
    const elf = path.join(FIXTURES, 'linux/fork.elf');
    const golden = fs.readFileSync(path.join(FIXTURES, 'linux/fork.golden'), 'latin1');
    const status = Number(fs.readFileSync(path.join(FIXTURES, 'linux/fork.status'), 'utf8').trim());
    for (let i = 0; i < 2; i++) {
      const r = await lane.run(request(elf), { cpuMs: 60_000 });
      expect(r.timedOut).toBe(false);
      expect(r.output).toBe(golden);
      expect(r.status).toBe(status);
      expect(r.retired).toBeGreaterThan(0);
    }
  }, 120_000);

  it('cuts a run at its CPU limit and says so', async () => {
    // mem.elf keeps the worker's own thread busy for about a second whether or
    // not its blocks are compiled (V8 compiles on other threads, which the
    // limit does not count), so the 250 ms poll sees it past 50 ms even when
    // the machine is loaded.
    const r = await lane.run(request(path.join(FIXTURES, 'bench/mem.elf')), { cpuMs: 50, wallMs: 60_000 });
    expect(r.timedOut).toBe(true);
    expect(r.timeout).toBe('cpu');
    expect(r.output).toMatch(/salty: timeout: CPU limit of 0.05 s/);
    // The lane starts a new worker for the next run.
    const again = await lane.run(request(path.join(FIXTURES, 'linux/fork.elf')), { cpuMs: 60_000 });
    expect(again.timedOut).toBe(false);
  }, 120_000);
});

describe('run order', () => {
  it('puts the required tests first, longest first, and rotates the rest by the day', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const durations = new Map([['b', 10], ['d', 500]]);
    const day = (n: number) => new Date(n * 86_400_000);
    const r0 = rotation(names, new Set(['b', 'd']), day(0), durations);
    expect(r0).toEqual(['d', 'b', 'a', 'c', 'e']);
    const r1 = rotation(names, new Set(['b', 'd']), day(1), durations);
    expect(r1.slice(0, 2)).toEqual(['d', 'b']);
    expect(r1.slice(2)).toEqual(['e', 'a', 'c']); // shifted by 131 mod 3
  });
});
