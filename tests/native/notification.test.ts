// Notifications and badges, kernel side, through the trap with each arch's
// registers: signal ORs the capability's badge into the word or wakes the
// first waiter with it, wait takes and clears the word or blocks, a minted
// endpoint capability's badge reaches the receiver, and every bad argument
// changes nothing.
import { describe, expect, it } from 'vitest';
import { ALL_RIGHTS, RIGHT_READ, RIGHT_WRITE } from '../../kernel/cap/rights';
import { NativeError as E } from '../../kernel/native/native-errors';
import { Label, RetypeCode } from '../../kernel/native/native-labels';
import { MessageKind, NO_SLOT } from '../../kernel/native/native-thread';
import { SLOT_SELF, SLOT_UNTYPED } from '../../kernel/native/native-space';
import { orWord } from '../../kernel/native/notification';
import { nativeArchAbi } from '../../kernel/arch/native-abi';
import { bodyAt, newProcess, okTrap, regs, rejectedTrap, setupIpc, trap } from './ipc-harness';
import { ARCHES } from './native-run';

const N = 10;
const EP = 20;
const MO = 30;

describe.each(ARCHES)('notifications on %s', (arch) => {
  /** A notification in slot N, badged copies 1 and 2 (write only) in slots 11 and 12, a read-only copy in 13. */
  function withNotification() {
    const ipc = setupIpc(arch);
    const p = newProcess(ipc);
    okTrap(ipc, p.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.notification, N]);
    okTrap(ipc, p.thread, SLOT_SELF, Label.cspaceMint, [N, 11, RIGHT_WRITE, 1]);
    okTrap(ipc, p.thread, SLOT_SELF, Label.cspaceMint, [N, 12, RIGHT_WRITE, 2]);
    okTrap(ipc, p.thread, SLOT_SELF, Label.cspaceMint, [N, 13, RIGHT_READ, 0]);
    return { ipc, p };
  }

  it('retype carves 64 bytes; signals accumulate in the word and a poll or wait takes it all', () => {
    const { ipc, p } = withNotification();
    const ut = bodyAt(p.space.cspace, SLOT_UNTYPED);
    expect(ut.kind === 'untyped' && ut.untyped.usedBytes).toBe(64);
    expect(p.space.cspace.lookup(11)!.badge).toBe(1);
    expect(p.space.cspace.lookup(13)!.badge).toBe(0);
    expect(okTrap(ipc, p.thread, 13, Label.notificationPoll)[1]).toBe(0);
    okTrap(ipc, p.thread, 11, Label.notificationSignal);
    okTrap(ipc, p.thread, 12, Label.notificationSignal);
    okTrap(ipc, p.thread, 12, Label.notificationSignal);
    expect(okTrap(ipc, p.thread, 13, Label.notificationWait)[1]).toBe(3);
    expect(p.thread.state).toBe('runnable');
    okTrap(ipc, p.thread, 12, Label.notificationSignal);
    expect(okTrap(ipc, p.thread, N, Label.notificationPoll)[1]).toBe(2);
    expect(okTrap(ipc, p.thread, N, Label.notificationPoll)[1]).toBe(0);
  });

  it('a wait on a zero word blocks; the next signal wakes the first waiter with its badge, the word stays 0', () => {
    const { ipc, p } = withNotification();
    const w1 = ipc.sched.newThread();
    const w2 = ipc.sched.newThread();
    for (const w of [w1, w2]) {
      w.cspaceOf = { value: p.space.cspace, isDead: false };
      ipc.sched.start(w);
      trap(ipc, w, 13, Label.notificationWait);
      expect(w.state).toBe('blocked');
      expect(w.ipc.kind).toBe('waiting');
    }
    okTrap(ipc, p.thread, 12, Label.notificationSignal);
    expect(w1.state).toBe('runnable');
    expect(regs(w1).slice(0, 2)).toEqual([E.ok, 2]);
    expect(w2.state).toBe('blocked');
    const n = bodyAt(p.space.cspace, N);
    expect(n.kind === 'notification' && n.ntfn.word).toBe(0);
    // Deleting the notification (every capability to it) cancels the other wait.
    for (const s of [11, 12, 13, N]) p.space.cspace.delete(s);
    expect(w2.state).toBe('runnable');
    expect(regs(w2)[0]).toBe(E.cancelled);
    ipc.mm.pmm.audit();
  });

  it('bad arguments: no badge, missing rights, wrong labels, re-badging, badges on other objects; nothing changes', () => {
    const { ipc, p } = withNotification();
    okTrap(ipc, p.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, MO, 1]);
    const spaces = [p.space];
    const threads = [p.thread];
    const reject = (slot: number, label: number, args: number[], error: number) => rejectedTrap(ipc, spaces, threads, p.thread, slot, label, args, error);
    reject(N, Label.notificationSignal, [], E.illegalOperation); // unbadged: the signal would change nothing
    reject(13, Label.notificationSignal, [], E.insufficientRights);
    reject(11, Label.notificationWait, [], E.insufficientRights);
    reject(11, Label.notificationPoll, [], E.insufficientRights);
    reject(N, Label.endpointSend, [0, 0, 0, 0, NO_SLOT, 0], E.illegalLabel);
    reject(N, 0x6b, [], E.illegalLabel);
    reject(MO, Label.notificationSignal, [], E.illegalLabel);
    reject(SLOT_SELF, Label.cspaceMint, [11, 14, RIGHT_WRITE, 4], E.invalidArgument); // badged already
    reject(SLOT_SELF, Label.cspaceMint, [MO, 14, RIGHT_READ, 4], E.invalidArgument); // MemoryObjects carry no badge
    reject(SLOT_SELF, Label.cspaceMint, [N, 14, RIGHT_WRITE, 2 ** 53], E.invalidArgument);
    reject(SLOT_SELF, Label.cspaceMintFrom, [11, 14, RIGHT_WRITE, 4], E.invalidArgument);
    reject(SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.notification, N], E.slotOccupied);
    reject(SLOT_UNTYPED, Label.untypedRetype, [7, 14], E.invalidArgument);
    // A copy keeps the badge; a mint with badge 0 keeps it too.
    okTrap(ipc, p.thread, SLOT_SELF, Label.cspaceCopy, [11, 14]);
    okTrap(ipc, p.thread, SLOT_SELF, Label.cspaceMint, [12, 15, RIGHT_WRITE, 0]);
    expect([p.space.cspace.lookup(14)!.badge, p.space.cspace.lookup(15)!.badge]).toEqual([1, 2]);
  });

  it('badges above 32 bits OR exactly', () => {
    expect(orWord(2 ** 40, 1)).toBe(2 ** 40 + 1);
    expect(orWord(2 ** 52 + 2 ** 33, 2 ** 33 + 2 ** 31)).toBe(2 ** 52 + 2 ** 33 + 2 ** 31);
    const { ipc, p } = withNotification();
    okTrap(ipc, p.thread, SLOT_SELF, Label.cspaceMint, [N, 16, RIGHT_WRITE, 2 ** 45]);
    okTrap(ipc, p.thread, 16, Label.notificationSignal);
    okTrap(ipc, p.thread, 11, Label.notificationSignal);
    expect(okTrap(ipc, p.thread, 13, Label.notificationPoll)[1]).toBe(2 ** 45 + 1);
  });
});

describe.each(ARCHES)('endpoint badges on %s', (arch) => {
  it('the receiver sees the badge of the capability each sender used; a reply carries none', () => {
    const ipc = setupIpc(arch);
    const server = newProcess(ipc);
    const a = newProcess(ipc);
    const b = newProcess(ipc);
    okTrap(ipc, server.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.endpoint, EP]);
    server.space.cspace.mint(EP, a.space.cspace, EP, ALL_RIGHTS, 0xa);
    server.space.cspace.mint(EP, b.space.cspace, EP, ALL_RIGHTS, 0xb);
    trap(ipc, a.thread, EP, Label.endpointCall, [1, 0, 0, 0, NO_SLOT, 0]);
    trap(ipc, b.thread, EP, Label.endpointSend, [2, 0, 0, 0, NO_SLOT, 0]);
    const first = okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT]);
    expect([first[1], first[2], first[7]]).toEqual([MessageKind.call, 1, 0xa]);
    const second = okTrap(ipc, server.thread, EP, Label.endpointReplyReceive, [5, 0, 0, 0, NO_SLOT]);
    expect([second[1], second[2], second[7]]).toEqual([MessageKind.send, 2, 0xb]);
    expect(regs(a.thread)[2]).toBe(5);
    expect(regs(a.thread)[7]).toBe(0);
    // The server's own, unbadged capability: badge 0.
    trap(ipc, server.thread, EP, Label.endpointSend, [3, 0, 0, 0, NO_SLOT, 0]);
    expect(okTrap(ipc, a.thread, EP, Label.endpointReceive, [NO_SLOT])[7]).toBe(0);
  });
});

describe.each(ARCHES)('join on %s', (arch) => {
  it('waits for the thread to end and returns its status; a suspended joiner leaves the wait with cancelled', () => {
    const ipc = setupIpc(arch);
    const p = newProcess(ipc);
    okTrap(ipc, p.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.thread, 40]);
    const target = (bodyAt(p.space.cspace, 40) as unknown as { thread: import('../../kernel/native/native-thread').NativeThread }).thread;
    const other = ipc.sched.newThread();
    other.cspaceOf = { value: p.space.cspace, isDead: false };
    ipc.sched.start(other);
    trap(ipc, p.thread, 40, Label.threadJoin);
    trap(ipc, other, 40, Label.threadJoin);
    expect([p.thread.ipc.kind, other.ipc.kind]).toEqual(['joining', 'joining']);
    ipc.sched.stop(other);
    expect(regs(other)[0]).toBe(E.cancelled);
    expect(target.joiners).toEqual([p.thread]);
    // Another thread ends it with status -5 through its capability: the join returns it, signed.
    target.exit(-5);
    expect(p.thread.state).toBe('runnable');
    expect(regs(p.thread)[0]).toBe(E.ok);
    const n1 = (): number => p.thread.ctx.reg(nativeArchAbi(arch).regs[1]);
    expect(n1()).toBe(-5);
    // Joined again once ended: at once.
    okTrap(ipc, p.thread, 40, Label.threadJoin);
    expect(n1()).toBe(-5);
  });
});
