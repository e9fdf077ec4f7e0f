// `salty boot` never loses control of the host: Ctrl-C (a real SIGINT to a
// child process) and --timeout stop a guest whatever it does, and the stop is
// reported as one line with the PC, the exception level and the last exception.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const SALTY = join(process.cwd(), 'dist/salty.mjs');

// Each guest first writes '>' to the PL011 (so the test knows it runs), then:
const HELLO = [0xd2a12001, 0x528007c0, 0xb9000020]; // mov x1, #0x09000000; mov w0, #'>'; str w0, [x1]
const GUESTS = {
  /** b . */
  'a tight loop': [...HELLO, 0x14000000],
  /** msr daifset, #0xf; 1: wfi; b 1b (nothing armed, nothing can wake it) */
  'WFI with nothing pending': [...HELLO, 0xd5034fdf, 0xd503207f, 0x17ffffff],
  /** msr vbar_el1, xzr; isb; udf #0: the vector at 0x200 is in empty flash (zeros, as QEMU's without -bios), UDF again and again */
  'an exception loop': [...HELLO, 0xd518c01f, 0xd5033fdf, 0x00000000],
} as const;

type Guest = keyof typeof GUESTS;

/** A raw binary (loaded at RAM + 0x80000 like QEMU's -kernel does). */
function image(guest: Guest): string {
  const words = GUESTS[guest];
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  words.forEach((w, i) => v.setUint32(4 * i, w, true));
  const file = join(mkdtempSync(join(tmpdir(), 'salty-host-control-')), 'guest.bin');
  writeFileSync(file, b);
  return file;
}

const REPORT = /^salty: interrupted: pc=0x[0-9a-f]+ el=1 retired=\d+ last exception: (none|sync|irq|fiq|serror)[^\n]*\n$/;

/** Starts salty on the guest, waits for its '>', sends SIGINT; resolves to the exit status and stderr. */
async function interrupt(guest: Guest, extra: string[] = []): Promise<{ status: number | null; stderr: string; ms: number }> {
  // stdin stays open (a pipe we never end): the WFI guest must wait for input that never comes.
  const child = spawn(process.execPath, [SALTY, 'boot', ...extra, image(guest)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.includes(0x3e) && resolve()));
  const t0 = Date.now();
  child.kill('SIGINT');
  const status = await exited;
  return { status, stderr, ms: Date.now() - t0 };
}

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('salty boot keeps control of the host', () => {
  for (const guest of Object.keys(GUESTS) as Guest[]) {
    it(`Ctrl-C stops ${guest} with status 130 and a one-line report`, async () => {
      const r = await interrupt(guest);
      expect(r.status).toBe(130);
      expect(r.stderr).toMatch(REPORT);
      expect(r.ms).toBeLessThan(5000);
    }, 30_000);

    it(`--timeout stops ${guest} with status 124`, async () => {
      // stdin stays open here too: with it closed, a guest in WFI with nothing armed ends at once (status 1).
      const child = spawn(process.execPath, [SALTY, 'boot', '--timeout', '0.5', image(guest)], { stdio: ['pipe', 'ignore', 'pipe'] });
      const r = { stderr: '', status: null as number | null };
      child.stderr.on('data', (d) => (r.stderr += d));
      r.status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      expect(r.status).toBe(124);
      expect(r.stderr).toMatch(/^salty: timeout: the guest ran for 0.5 s without powering off: pc=0x[0-9a-f]+ el=1 /);
    }, 30_000);
  }

  it('the report names where each guest is', async () => {
    const loop = await interrupt('a tight loop');
    expect(loop.stderr).toMatch(/pc=0x4008000c el=1 retired=\d+ last exception: none\n$/);
    const wfi = await interrupt('WFI with nothing pending');
    expect(wfi.stderr).toMatch(/pc=0x40080014 el=1 retired=\d+ last exception: none\n$/);
    // VBAR + 0x200 lies in flash bank 0, zeros without -bios: UDF #0 (EC 0x0), again and again.
    const faults = await interrupt('an exception loop');
    expect(faults.stderr).toMatch(/pc=0x200 el=1 retired=5 last exception: sync \(\d+ taken\) elr=0x200 esr=0x02000000 ec=0x0 far=0x0\n$/);
  }, 60_000);
});
