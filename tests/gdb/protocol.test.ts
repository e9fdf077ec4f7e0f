// The stub's protocol beyond what gdb's batch mode shows, against a real
// `salty run -g` over TCP: queries, no-ack mode, registers, memory faults,
// watchpoints of each kind with their stop replies, gdb's Ctrl-C, detach,
// kill, and a connection that drops while the program runs.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, PROGRAMS, SALTY } from './gdb-harness';
import { RspClient } from './rsp-client';

const SPIN = join(PROGRAMS, 'spin.elf');
const DEBUGEE = join(PROGRAMS, 'debugee.elf');
// Addresses in spin.elf (aarch64-linux-gnu-nm): volatile int stop, volatile unsigned long laps.
const STOP = '492058';
const LAPS = '492060';

async function startSalty(program: string, args: string[] = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [SALTY, 'run', '-g', String(port), program, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  const exit = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  const client = await RspClient.connect(port);
  return { child, client, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('salty run -g: the remote protocol', () => {
  it('answers queries, stops on Ctrl-C and continues to the exit', async () => {
    const { client, exit } = await startSalty(SPIN);
    const supported = await client.ask('qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+');
    expect(supported).toContain('qXfer:features:read+');
    expect(supported).toContain('qXfer:threads:read+');
    expect(supported).toContain('qXfer:exec-file:read+');
    expect(supported).toContain('QStartNoAckMode+');
    expect(supported).toContain('qXfer:auxv:read+');
    // The initial stack's auxv, through AT_NULL: AT_ENTRY (9) holds the ELF's entry (spin.elf: 0x400540).
    const auxv = Buffer.from((await client.ask('qXfer:auxv:read::0,fff'))!.slice(1), 'latin1');
    expect(auxv.length % 16).toBe(0);
    const pairs = Array.from({ length: auxv.length / 16 }, (_, i) => [auxv.readBigUInt64LE(16 * i), auxv.readBigUInt64LE(16 * i + 8)]);
    expect(pairs.find(([t]) => t === 9n)?.[1]).toBe(0x400540n);
    expect(pairs[pairs.length - 1][0]).toBe(0n);
    const stop = await client.ask('?');
    expect(stop).toMatch(/^T05thread:p([0-9a-f]+)\.\1;$/);
    const pid = /^T05thread:p([0-9a-f]+)/.exec(stop!)![1];
    expect(await client.ask('qAttached')).toBe('0');
    expect(await client.ask('qXfer:exec-file:read::0,fff')).toBe(`l${SPIN}`);
    expect(await client.ask('qXfer:threads:read::0,fff')).toContain(`<thread id="p${pid}.${pid}"`);
    expect(await client.ask('qXfer:features:read:target.xml:0,fff')).toContain('<architecture>aarch64</architecture>');
    expect(await client.ask('vCont?')).toBe('vCont;c;C;s;S');
    // The core and FP registers: x0-x30, sp, pc (8 bytes), cpsr (4), v0-v31 (16), fpsr, fpcr (4).
    const g = await client.ask('g');
    expect(g).toHaveLength(2 * (33 * 8 + 4 + 32 * 16 + 8));
    // Run, interrupt, look: the loop counts laps (a loaded machine may need a few turns to reach main).
    let laps = 0;
    for (let turn = 0; turn < 20 && laps === 0; turn++) {
      client.send('c');
      await sleep(200);
      client.sendRaw('\x03');
      expect(await client.reply()).toBe(`T02thread:p${pid}.${pid};`);
      laps = Number(BigInt('0x' + Buffer.from((await client.ask(`m${LAPS},8`))!, 'hex').reverse().toString('hex')));
    }
    expect(laps).toBeGreaterThan(0);
    expect(await client.ask(`M${STOP},4:01000000`)).toBe('OK');
    expect(await client.ask('vCont;c')).toBe('W07');
    expect((await exit).code).toBe(7);
  }, 60_000);

  it('reports write, read and access watchpoints before the access, in no-ack mode', async () => {
    const { client, exit } = await startSalty(SPIN);
    expect(await client.ask('QStartNoAckMode')).toBe('OK');
    expect(await client.ask(`Z2,${LAPS},8`)).toBe('OK');
    expect(await client.ask('c')).toMatch(new RegExp(`^T05watch:${LAPS};thread:`));
    // Stopped before the store, as an aarch64 watchpoint does: gdb steps it with the watchpoint out.
    expect(await client.ask(`m${LAPS},8`)).toBe('0000000000000000');
    expect(await client.ask(`z2,${LAPS},8`)).toBe('OK');
    expect(await client.ask('s')).toMatch(/^T05thread:/);
    expect(await client.ask(`m${LAPS},8`)).toBe('0100000000000000');
    expect(await client.ask(`Z3,${STOP},4`)).toBe('OK');
    expect(await client.ask('c')).toMatch(new RegExp(`^T05rwatch:${STOP};thread:`));
    expect(await client.ask(`z3,${STOP},4`)).toBe('OK');
    expect(await client.ask(`Z4,${LAPS},8`)).toBe('OK');
    expect(await client.ask('c')).toMatch(new RegExp(`^T05awatch:${LAPS};thread:`));
    expect(await client.ask(`z4,${LAPS},8`)).toBe('OK');
    expect(await client.ask(`z4,${LAPS},8`)).toBe('E01');
    expect(await client.ask(`M${STOP},4:01000000`)).toBe('OK');
    // Detached, the program goes on alone.
    expect(await client.ask('D')).toBe('OK');
    expect((await exit).code).toBe(7);
  }, 60_000);

  it('answers bad memory with an error, and kills on request', async () => {
    const { client, exit } = await startSalty(SPIN);
    expect(await client.ask('m0,4')).toBe('E14');
    expect(await client.ask('M0,4:00000000')).toBe('E14');
    expect(await client.ask('mffff800000000000,8')).toBe('E14');
    expect(await client.ask('m400000,4')).toBe('7f454c46');
    // A huge length is cut to what one reply holds.
    expect((await client.ask('m400000,ffffffff'))!.length).toBeLessThanOrEqual(0x4000);
    expect(await client.ask('Hgp1.99999')).toBe('E01');
    expect(await client.ask('p20')).toMatch(/^[0-9a-f]{16}$/);
    expect(await client.ask('P0=2a00000000000000')).toBe('OK');
    expect(await client.ask('p0')).toBe('2a00000000000000');
    expect(await client.ask('p999')).toBe('E01');
    client.send('k');
    expect((await exit).code).toBe(137);
  }, 60_000);

  it('runs on to the end when gdb disconnects mid-run', async () => {
    const { client, exit } = await startSalty(SPIN);
    expect(await client.ask('?')).toMatch(/^T05/);
    client.send('c');
    await sleep(200);
    client.close();
    expect((await exit).code).toBe(3);
  }, 60_000);

  it('keeps serving after garbage, bad checksums and oversized packets', async () => {
    const { client, exit } = await startSalty(DEBUGEE);
    client.sendRaw('garbage without a dollar\x01\x02');
    client.sendRaw('$qSupported#00');
    client.sendRaw('$' + 'A'.repeat(100_000) + '#00');
    client.sendRaw('$m0,#' + '00');
    expect(await client.ask('?')).toMatch(/^T05/);
    for (const p of ['Z0,zz,4', 'Z9,0,0', 'X400000,ffffffff:', 'G12', 'vCont;x', 'H', 'qXfer:features:read:nothing.xml:0,10', 'qXfer:threads:read::ffffffff,10']) {
      expect(await client.ask(p)).toMatch(/^(E[0-9a-f]{2}|)$/);
    }
    expect(await client.ask('c')).toBe('W00');
    const r = await exit;
    expect(r.code).toBe(0);
    expect(r.output).toBe('hello, gdb 6 10 42\n');
  }, 60_000);
});

describe('salty boot -gdb: the remote protocol', () => {
  it('runs the image on to its end when gdb leaves at a breakpoint', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [SALTY, 'boot', '-gdb', `tcp::${port}`, '-S', join(PROGRAMS, 'bare.elf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const client = await RspClient.connect(port);
    expect(await client.ask('?')).toBe('T05thread:p1.1;');
    expect(await client.ask('qfThreadInfo')).toBe('mp1.1');
    // add() in bare.elf (aarch64-linux-gnu-nm): stop there once, then vanish.
    expect(await client.ask('Z0,40100020,4')).toBe('OK');
    expect(await client.ask('c')).toBe('T05thread:p1.1;');
    expect(await client.ask('p20')).toBe('2000104000000000');
    expect(output).toBe('bare metal\n');
    client.close();
    expect(await exit).toBe(0);
  }, 60_000);
});
