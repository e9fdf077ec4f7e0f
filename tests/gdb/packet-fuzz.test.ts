// A fuzz test of the stub: random bytes, malformed and well-formed packets
// with random arguments (bad checksums, huge lengths, binary payloads) go
// into a GdbServer over a real Linux target in this process. The stub must
// never throw; each session ends, if it ends, cleanly (detach, kill or the
// program's exit), and a session that survives still answers `?`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProgram, type ProcessIo } from '../../tools/cli/run-program';
import { GdbServer } from '../../tools/gdb/gdb-server';
import { LinuxDebugTarget } from '../../tools/gdb/linux-target';
import { framePacket, RspReader } from '../../tools/gdb/rsp-framing';
import { PROGRAMS } from './gdb-harness';

const PROGRAM = join(PROGRAMS, 'debugee.elf');
const BYTES = readFileSync(PROGRAM);

/** A small seeded generator (xorshift32), so a failure replays. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    int: (n: number) => next() % n,
    pick: <T>(a: readonly T[]) => a[next() % a.length],
  };
}

const quiet: ProcessIo = { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false };

function session() {
  const run = startProgram({ file: PROGRAM, bytes: BYTES, args: [], env: [], memoryBytes: 64 << 20, strace: false, stats: false }, quiet);
  const target = new LinuxDebugTarget(run.system, run.proc);
  const sent: Buffer[] = [];
  const server = new GdbServer(target, (b) => sent.push(b), run.proc.pid);
  return { server, sent, run };
}

const COMMANDS = ['?', 'g', 'G', 'p', 'P', 'm', 'M', 'X', 'Z0,', 'z0,', 'Z1,', 'Z2,', 'z2,', 'Z3,', 'Z4,', 'Z7,', 'c', 's', 'C', 'S', 'H', 'Hg', 'Hc', 'T', 'q', 'qXfer:features:read:', 'qXfer:threads:read::', 'qXfer:exec-file:read::', 'qSupported', 'QStartNoAckMode', 'v', 'vCont;', 'vCont?', 'vMustReplyEmpty', 'D', 'k', 'vKill;'];
const PIECES = ['0', '1', '-1', 'p3e8.3e8', 'p1.-1', 'ffffffffffffffff', '10000000000000000', '400000', '400710', '4573d8', ',', ':', ';', '=', 'zz', '}', '*', '#', '$', 'c', 's', 'C0b', 'S05', '7fffffff', '80000000', 'e'.repeat(300), '\x00\xff\x7d\x03'];

function randomPacket(r: ReturnType<typeof rng>): string {
  let p = r.pick(COMMANDS);
  const n = r.int(6);
  for (let i = 0; i < n; i++) p += r.pick(PIECES);
  return p;
}

function randomBytes(r: ReturnType<typeof rng>): Uint8Array {
  const kind = r.int(10);
  if (kind === 0) return Uint8Array.from({ length: r.int(64) }, () => r.int(256));
  if (kind === 1) return Buffer.from(`$${randomPacket(r)}#${r.int(256).toString(16).padStart(2, '0')}`, 'latin1');
  if (kind === 2) return Buffer.from(`$${'x'.repeat(20_000 + r.int(50_000))}#00`, 'latin1');
  if (kind === 3) return Uint8Array.of(0x03);
  if (kind === 4) return Buffer.from(r.pick(['+', '-', '$', '#', '}', '$#', '#00', '$m0,*']), 'latin1');
  // Rarely the ending packets, else a well-formed random one.
  const p = randomPacket(r);
  if (/^(D|k|vKill)/.test(p) && r.int(20) !== 0) return framePacket('?');
  return framePacket(p);
}

describe('the gdb stub under random and malformed packets', () => {
  it('never throws, and stays able to answer or ends cleanly', () => {
    const r = rng(0x5a17);
    let ended = 0;
    let s = session();
    for (let i = 0; i < 2500; i++) {
      s.server.receive(randomBytes(r));
      // A resumed target runs a little, as the session's event loop would let it.
      if (s.server.state === 'running') s.server.step(2);
      if (s.server.state === 'ended') {
        ended++;
        expect(['detach', 'kill', 'exit']).toContain(s.server.endedBy);
        s = session();
      }
    }
    if (s.server.state === 'running') s.server.receive(Uint8Array.of(0x03));
    while (s.server.state === 'running') s.server.step(5);
    if (s.server.state === 'stopped') {
      s.sent.length = 0;
      s.server.receive(framePacket('?'));
      const reader = new RspReader();
      const replies = s.sent.flatMap((b) => reader.feed(b)).filter((e) => e.kind === 'packet');
      expect(replies.length).toBe(1);
    }
    expect(ended).toBeGreaterThan(0);
  }, 120_000);

  it('frames what it reads: escapes, run lengths and checksums', () => {
    const reader = new RspReader();
    const evs = reader.feed(Buffer.concat([framePacket('a#b$c}d*e'), Buffer.from('$0* #7a', 'latin1'), Buffer.from('$ab#00'), Buffer.from('+-\x03')]));
    expect(evs.map((e) => (e.kind === 'packet' ? Buffer.from(e.data).toString('latin1') : e.kind))).toEqual(['a#b$c}d*e', '0000', 'bad-checksum', 'ack', 'nack', 'interrupt']);
  });
});
