import { describe, expect, it } from 'vitest';
import { RIGHT_MAP, RIGHT_READ, RIGHT_WRITE } from '../../kernel/cap/rights';
import { NativeError as E } from '../../kernel/native/native-errors';
import { Label, PERM_READ, PERM_WRITE, RetypeCode } from '../../kernel/native/native-labels';
import { MessageKind, NO_SLOT, type NativeThread } from '../../kernel/native/native-thread';
import { SLOT_SELF, SLOT_UNTYPED } from '../../kernel/native/native-space';
import type { MemoryObject } from '../../kernel/mm/memory-object';
import type { VSpace } from '../../kernel/mm/vspace';
import { NativeUserAccess } from '../../kernel/native/native-user-access';
import { bodyAt, okTrap, newProcess, regs, rejectedTrap, setupIpc, type Ipc } from './ipc-harness';
import { ARCHES } from './native-run';

const TCB = 20;
const CS = 21;
const VS = 22;
const MO = 23;
const EP = 24;
const BASE = 0x40_0000;

describe.each(ARCHES)('%s', (arch) => {
  function threadAt(ipc: Ipc, cs: import('../../kernel/cap/cspace').CSpace, slot: number): NativeThread {
    return (bodyAt(cs, slot) as unknown as { thread: NativeThread }).thread;
  }

  /** A parent that has made a thread, a capability space and a VSpace, none bound yet. */
  function parentWithObjects() {
    const ipc = setupIpc(arch);
    const parent = newProcess(ipc);
    for (const [code, slot] of [[RetypeCode.thread, TCB], [RetypeCode.cspace, CS], [RetypeCode.vspace, VS]]) okTrap(ipc, parent.thread, SLOT_UNTYPED, Label.untypedRetype, [code, slot]);
    okTrap(ipc, parent.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, MO, 4]);
    return { ipc, parent, child: threadAt(ipc, parent.space.cspace, TCB) };
  }

  describe('threads made by a program', () => {
    it('retypes a 1 KiB thread that stays off the scheduler until configured and resumed', () => {
      const { ipc, parent, child } = parentWithObjects();
      const ut = (bodyAt(parent.space.cspace, SLOT_UNTYPED) as { untyped: import('../../kernel/mm/untyped').Untyped }).untyped;
      expect(ut.usedBytes).toBe(1024 + 4096 + 4096 + 256);
      expect(ipc.sched.sched.all).not.toContain(child);
      okTrap(ipc, parent.thread, TCB, Label.threadConfigure, [CS, VS]);
      okTrap(ipc, parent.thread, TCB, Label.threadWriteRegisters, [0x40_1000, 0x7f_0000, 42, 43]);
      // x86_64 enters pc as a called function: rsp is 8 below the top (kernel/arch/x86_64/native-abi.ts).
      const sp = arch === 'x86_64' ? 0x7f_0000 - 8 : 0x7f_0000;
      expect([child.ctx.pc, child.ctx.sp, regs(child)[0], regs(child)[1]]).toEqual([0x40_1000, sp, 42, 43]);
      okTrap(ipc, parent.thread, TCB, Label.threadResume);
      expect(ipc.sched.sched.all).toContain(child);
      expect(child.vspace).toBe((bodyAt(parent.space.cspace, VS) as { vs: VSpace }).vs);
      okTrap(ipc, parent.thread, TCB, Label.threadSuspend);
      expect(ipc.sched.sched.all).not.toContain(child);
    });

    it('fills the new capability space from its own with fewer rights (mint-from)', () => {
      const { ipc, parent } = parentWithObjects();
      const cs = (bodyAt(parent.space.cspace, CS) as { cspace: import('../../kernel/cap/cspace').CSpace }).cspace;
      expect(okTrap(ipc, parent.thread, CS, Label.cspaceMintFrom, [MO, 3, RIGHT_READ | RIGHT_MAP])[1]).toBe(3);
      expect(cs.lookup(3)!.rights).toBe(RIGHT_READ | RIGHT_MAP);
      expect(cs.lookup(3)!.parent).toBe(parent.space.cspace.lookup(MO));
    });

    it('a child thread runs in its own capability space: its invocations name its slots', () => {
      const { ipc, parent, child } = parentWithObjects();
      okTrap(ipc, parent.thread, CS, Label.cspaceMintFrom, [SLOT_UNTYPED, 1, RIGHT_READ | RIGHT_WRITE]);
      okTrap(ipc, parent.thread, TCB, Label.threadConfigure, [CS, VS]);
      okTrap(ipc, parent.thread, TCB, Label.threadResume);
      okTrap(ipc, child, 1, Label.untypedRetype, [RetypeCode.endpoint, 5]);
      const cs = (bodyAt(parent.space.cspace, CS) as { cspace: import('../../kernel/cap/cspace').CSpace }).cspace;
      expect(bodyAt(cs, 5).kind).toBe('endpoint');
      expect(parent.space.cspace.lookup(5)).toBeNull();
    });

    it('deleting the thread object kills the thread; revoking the untyped takes everything back', () => {
      const { ipc, parent, child } = parentWithObjects();
      okTrap(ipc, parent.thread, TCB, Label.threadConfigure, [CS, VS]);
      okTrap(ipc, parent.thread, TCB, Label.threadResume);
      okTrap(ipc, parent.thread, SLOT_SELF, Label.cspaceDelete, [TCB]);
      expect(child.state).toBe('dead');
      expect(ipc.sched.sched.all).not.toContain(child);
      okTrap(ipc, parent.thread, SLOT_SELF, Label.cspaceRevoke, [SLOT_UNTYPED]);
      const ut = (bodyAt(parent.space.cspace, SLOT_UNTYPED) as { untyped: import('../../kernel/mm/untyped').Untyped }).untyped;
      expect(ut.usedBytes).toBe(0);
      ipc.mm.pmm.audit();
    });

    it('rejects wrong objects, missing rights, an unconfigured resume and a bad stack, changing nothing', () => {
      const { ipc, parent, child } = parentWithObjects();
      const rej = (slot: number, label: number, args: number[], error: number) => rejectedTrap(ipc, [parent.space], [parent.thread, child], parent.thread, slot, label, args, error);
      rej(TCB, Label.threadResume, [], E.illegalOperation);
      rej(TCB, Label.threadConfigure, [VS, VS], E.wrongObjectType);
      rej(TCB, Label.threadConfigure, [CS, MO], E.wrongObjectType);
      rej(TCB, Label.threadConfigure, [CS, 99], E.invalidCapability);
      rej(TCB, Label.threadWriteRegisters, [0x40_1000, 0x7f_0008, 0, 0], E.misaligned);
      rej(TCB, Label.threadWriteRegisters, [-4, 0x7f_0000, 0, 0], E.invalidArgument);
      rej(TCB, 0x5f, [], E.illegalLabel);
      rej(CS, Label.cspaceMintFrom, [99, 3, RIGHT_READ], E.invalidCapability);
      rej(CS, Label.cspaceMintFrom, [MO, 256, RIGHT_READ], E.outOfRange);
      rej(CS, Label.cspaceMintFrom, [MO, 3, 64], E.invalidArgument);
      parent.space.cspace.mint(TCB, parent.space.cspace, 30, RIGHT_READ);
      rej(30, Label.threadResume, [], E.insufficientRights);
      parent.space.cspace.mint(CS, parent.space.cspace, 31, RIGHT_READ);
      rej(TCB, Label.threadConfigure, [31, VS], E.insufficientRights);
      rej(31, Label.cspaceMintFrom, [MO, 3, RIGHT_READ], E.insufficientRights);
      parent.space.cspace.mint(MO, parent.space.cspace, 32, RIGHT_READ);
      rej(CS, Label.cspaceMintFrom, [32, 3, RIGHT_WRITE], E.insufficientRights);
      okTrap(ipc, parent.thread, TCB, Label.threadConfigure, [CS, VS]);
      okTrap(ipc, parent.thread, TCB, Label.threadResume);
      rej(TCB, Label.threadWriteRegisters, [0x40_1000, 0x7f_0000, 0, 0], E.illegalOperation);
    });
  });

  describe('pager-backed MemoryObjects', () => {
    /** A server with an endpoint and a client whose VSpace maps a pager-backed object at BASE. */
    function pagerSetup() {
      const { ipc, parent: server, child } = parentWithObjects();
      okTrap(ipc, server.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.endpoint, EP]);
      okTrap(ipc, server.thread, MO, Label.memoryObjectSetPager, [EP, 77]);
      okTrap(ipc, server.thread, VS, Label.vspaceMap, [MO, BASE, 4, 0, PERM_READ | PERM_WRITE]);
      okTrap(ipc, server.thread, TCB, Label.threadConfigure, [CS, VS]);
      okTrap(ipc, server.thread, TCB, Label.threadResume);
      const vs = (bodyAt(server.space.cspace, VS) as { vs: VSpace }).vs;
      const mo = (bodyAt(server.space.cspace, MO) as { mo: MemoryObject }).mo;
      return { ipc, server, client: child, vs, mo };
    }

    function access(ipc: Ipc, t: NativeThread, vs: VSpace, va: number, kind: 'read' | 'write') {
      const w = ipc.backend.walk(ipc.mem, vs.root, va, kind);
      return w.ok ? ({ kind: 'mapped', pa: w.pa } as const) : ipc.sched.fault(t, w.raw);
    }

    it('a fault on a page committed nowhere goes to the pager; its reply lets the thread retry and find the page', () => {
      const { ipc, server, client, vs, mo } = pagerSetup();
      const demandBefore = ipc.mm.counters.faultsDemand;
      expect(access(ipc, client, vs, BASE + 2 * 4096 + 8, 'read').kind).toBe('pager');
      expect(client.state).toBe('blocked');
      expect(mo.committedPages).toBe(0);
      expect(ipc.mm.counters.faultsDemand).toBe(demandBefore);
      const r = okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT]);
      expect(r.slice(1, 6)).toEqual([MessageKind.fault, 77, 2, BASE + 2 * 4096 + 8, 1]);
      expect(server.thread.caller).toBe(client);
      // The pager commits and fills the page, then replies.
      okTrap(ipc, server.thread, MO, Label.memoryObjectCommit, [2, 1, SLOT_UNTYPED]);
      mo.write(2 * 4096 + 8, new Uint8Array([0xab]));
      const pc = client.ctx.pc;
      okTrap(ipc, server.thread, EP, Label.endpointReply, []);
      expect(client.state).toBe('runnable');
      expect(client.ctx.pc).toBe(pc);
      const again = access(ipc, client, vs, BASE + 2 * 4096 + 8, 'read');
      expect(again.kind).toBe('resolved');
      const hit = access(ipc, client, vs, BASE + 2 * 4096 + 8, 'read');
      expect(hit.kind).toBe('mapped');
      expect(ipc.mem.bytes[(hit as { pa: number }).pa - 0x4000_0000]).toBe(0xab);
      expect(ipc.sched.pagerFaults).toBe(1);
    });

    it('a write fault says write; a clone of a committed page and the access flag stay in the kernel', () => {
      const { ipc, server, client, vs } = pagerSetup();
      expect(access(ipc, client, vs, BASE, 'write').kind).toBe('pager');
      expect(okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT])[5]).toBe(2);
      okTrap(ipc, server.thread, MO, Label.memoryObjectCommit, [0, 1, SLOT_UNTYPED]);
      okTrap(ipc, server.thread, EP, Label.endpointReply, []);
      expect(access(ipc, client, vs, BASE, 'write').kind).toBe('resolved');
      // Cloning write-protects the page: the next write is a copy-on-write fault the kernel resolves.
      okTrap(ipc, server.thread, MO, Label.memoryObjectClone, [SLOT_UNTYPED, 40]);
      const cow = ipc.mm.counters.faultsCow;
      expect(access(ipc, client, vs, BASE, 'write').kind).toBe('resolved');
      expect(ipc.mm.counters.faultsCow).toBe(cow + 1);
      expect(ipc.sched.pagerFaults).toBe(1);
    });

    it('a clone keeps the pager: its fault carries the clone\'s token and the binding\'s badge, the pager fills the clone', () => {
      const { ipc, server, client, vs } = pagerSetup();
      // Rebind through a badged copy of the endpoint: fault messages carry its badge.
      server.space.cspace.mint(EP, server.space.cspace, 25, RIGHT_READ | RIGHT_WRITE, 0x5a);
      okTrap(ipc, server.thread, MO, Label.memoryObjectSetPager, [25, 77]);
      okTrap(ipc, server.thread, MO, Label.memoryObjectClone, [SLOT_UNTYPED, 40, 78]);
      rejectedTrap(ipc, [server.space], [server.thread], server.thread, MO, Label.memoryObjectClone, [SLOT_UNTYPED, 41, 2 ** 53], E.invalidArgument);
      // The client's VSpace maps the clone in place of the original.
      okTrap(ipc, server.thread, VS, Label.vspaceUnmap, [BASE, 4]);
      okTrap(ipc, server.thread, VS, Label.vspaceMap, [40, BASE, 4, 0, PERM_READ]);
      const clone = (bodyAt(server.space.cspace, 40) as { mo: MemoryObject }).mo;
      expect(access(ipc, client, vs, BASE + 4096, 'read').kind).toBe('pager');
      const r = okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT]);
      expect([r[1], r[2], r[3], r[7]]).toEqual([MessageKind.fault, 78, 1, 0x5a]);
      okTrap(ipc, server.thread, 40, Label.memoryObjectCommit, [1, 1, SLOT_UNTYPED]);
      okTrap(ipc, server.thread, EP, Label.endpointReply, []);
      expect(clone.committedPages).toBe(1);
      expect(access(ipc, client, vs, BASE + 4096, 'read').kind).toBe('resolved');
      expect(ipc.sched.pagerFaults).toBe(1);
    });

    it('an access the region refuses is the kernel\'s refusal, not a pager message', () => {
      const { ipc, server, client, vs } = pagerSetup();
      okTrap(ipc, server.thread, VS, Label.vspaceProtect, [BASE, 1, PERM_READ]);
      const out = access(ipc, client, vs, BASE, 'write');
      expect(out.kind).toBe('refused');
      expect(ipc.sched.pagerFaults).toBe(0);
    });

    it('without a pager (unbound with NO_SLOT) the fault is demand-zero in the kernel', () => {
      const { ipc, server, client, vs } = pagerSetup();
      okTrap(ipc, server.thread, MO, Label.memoryObjectSetPager, [NO_SLOT, 0]);
      expect(access(ipc, client, vs, BASE, 'read').kind).toBe('resolved');
      expect(ipc.sched.pagerFaults).toBe(0);
    });

    it('a kernel copy (a debug write\'s buffer) refuses a pager-backed page not yet supplied, rather than commit zeros', () => {
      const { ipc, server, vs, mo } = pagerSetup();
      const user = new NativeUserAccess(ipc.mm, vs, ipc.mem);
      expect(user.covers(BASE + 8, 16, false)).toBe(false);
      expect(mo.committedPages).toBe(0);
      okTrap(ipc, server.thread, MO, Label.memoryObjectCommit, [0, 1, SLOT_UNTYPED]);
      expect(user.covers(BASE + 8, 16, false)).toBe(true);
      expect(user.covers(BASE + 4096, 16, false)).toBe(false);
    });

    it('deleting the pager endpoint while a thread waits retries the fault', () => {
      const { ipc, server, client, vs } = pagerSetup();
      expect(access(ipc, client, vs, BASE, 'read').kind).toBe('pager');
      server.space.cspace.delete(EP);
      expect(client.state).toBe('runnable');
      expect(access(ipc, client, vs, BASE, 'read').kind).toBe('resolved');
    });

    it('set-pager rejects a non-endpoint, an endpoint without write, a MemoryObject without write', () => {
      const { ipc, parent, child } = parentWithObjects();
      okTrap(ipc, parent.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.endpoint, EP]);
      const rej = (slot: number, label: number, args: number[], error: number) => rejectedTrap(ipc, [parent.space], [parent.thread, child], parent.thread, slot, label, args, error);
      rej(MO, Label.memoryObjectSetPager, [VS, 1], E.wrongObjectType);
      rej(MO, Label.memoryObjectSetPager, [98, 1], E.invalidCapability);
      parent.space.cspace.mint(EP, parent.space.cspace, 30, RIGHT_READ);
      rej(MO, Label.memoryObjectSetPager, [30, 1], E.insufficientRights);
      parent.space.cspace.mint(MO, parent.space.cspace, 31, RIGHT_READ);
      rej(31, Label.memoryObjectSetPager, [EP, 1], E.insufficientRights);
      expect(regs(parent.thread)[0]).toBe(E.insufficientRights);
    });
  });
});
