// `salty run --audit` (kernel/linux/run-audit.ts) reports the tier invariants
// pass's violations, one line each, from the end of the run and from the
// checks during it (after an OOM kill here), so the hostile-guest tests,
// which expect "salty: audit: ok", fail on any of them.

import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { oomKillHooks } from '../../kernel/linux/oom-killer';
import { auditAfterRun, recordBootFrames } from '../../kernel/linux/run-audit';

const io = { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false };
const RW = { read: true, write: true, exec: false };
const BASE = 0x40_0000;
const hex = (n: number): string => `0x${n.toString(16)}`;

describe('--audit and the tier invariants', () => {
  it('names a stale leaf and its leaked frame, found during the run and at its end', () => {
    const sys = new LinuxSystem(new HostedKernel(16 << 20), { strace: false, io, root: null });
    recordBootFrames(sys);
    const mm = sys.kernel.mm;
    const vs = mm.createVSpace();
    const mo = mm.createMemoryObject(2);
    vs.map(BASE, 2 * 4096, mo, 0, RW, 'heap');
    mo.commit(0);
    // No process was spawned: a VSpace made here is nobody's.
    const orphan = `VSpace ${vs.id}: live, but no process's address space`;
    expect(auditAfterRun(sys)).toEqual([orphan]);
    const pa = mm.pmm.alloc('mo-data');
    mm.arch.map(vs.root, BASE + 4096, pa, { read: true, write: true, exec: false, user: true, global: false, device: false });
    for (const hook of oomKillHooks) hook(sys);
    const stale = `VSpace ${vs.id}: leaf at ${hex(BASE + 4096)} -> ${hex(pa)} is stale: no page is recorded mapped there`;
    const leak = `PMM: 2 frames owned 'mo-data', 1 held by live MemoryObjects (leaked: ${hex(pa)})`;
    const during = [stale, leak, orphan].map((p) => `after an OOM kill: ${p}`);
    expect(auditAfterRun(sys)).toEqual([...during, stale, leak, orphan]);
    mm.arch.unmap(vs.root, BASE + 4096, true);
    mm.pmm.free(pa, 'mo-data');
    mm.destroyVSpace(vs);
    mm.destroyMemoryObject(mo);
  });
});
