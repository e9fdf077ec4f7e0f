import { describe, expect, it } from 'vitest';
import { RIGHT_GRANT, RIGHT_MAP, RIGHT_READ, RIGHT_WRITE, ALL_RIGHTS } from '../../kernel/cap/rights';
import { NativeError as E } from '../../kernel/native/native-errors';
import { Label, RetypeCode } from '../../kernel/native/native-labels';
import { MessageKind, NO_SLOT } from '../../kernel/native/native-thread';
import { SLOT_SELF, SLOT_UNTYPED } from '../../kernel/native/native-space';
import { nativeInvoke } from '../../kernel/native/native-invoke';
import { bodyAt, okTrap, newProcess, regs, rejectedTrap, setupIpc, trap } from './ipc-harness';
import { ARCHES } from './native-run';

const EP = 10;
const MO = 11;

describe.each(ARCHES)('%s', (arch) => {
  /** Two processes sharing an endpoint (slot 10 in each: the client's a copy minted from the server's). */
  function twoProcesses(clientRights = ALL_RIGHTS) {
    const ipc = setupIpc(arch);
    const server = newProcess(ipc);
    const client = newProcess(ipc);
    okTrap(ipc, server.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.endpoint, EP]);
    server.space.cspace.mint(EP, client.space.cspace, EP, clientRights);
    return { ipc, server, client };
  }

  describe('endpoints: retype', () => {
    it('carves a 64-byte endpoint from the untyped, its capability a child of the untyped one', () => {
      const ipc = setupIpc(arch);
      const p = newProcess(ipc);
      const ut = (bodyAt(p.space.cspace, SLOT_UNTYPED) as { untyped: import('../../kernel/mm/untyped').Untyped }).untyped;
      expect(okTrap(ipc, p.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.endpoint, EP])[1]).toBe(EP);
      expect(bodyAt(p.space.cspace, EP).kind).toBe('endpoint');
      expect(ut.usedBytes).toBe(64);
      expect(p.space.cspace.lookup(EP)!.parent).toBe(p.space.cspace.lookup(SLOT_UNTYPED));
      okTrap(ipc, p.thread, SLOT_SELF, Label.cspaceDelete, [EP]);
      expect(ut.usedBytes).toBe(0);
      ipc.mm.pmm.audit();
    });
  });

  describe('endpoints: rendezvous', () => {
    it('a sender that comes first waits; the receiver takes its words and both go on', () => {
      const { ipc, server, client } = twoProcesses();
      trap(ipc, client.thread, EP, Label.endpointSend, [11, 22, 33, 44, NO_SLOT, 0]);
      expect(client.thread.state).toBe('blocked');
      expect(client.thread.ipc.kind).toBe('sending');
      const r = okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT]);
      expect(r.slice(1, 7)).toEqual([MessageKind.send, 11, 22, 33, 44, NO_SLOT]);
      expect(client.thread.state).toBe('runnable');
      expect(regs(client.thread)[0]).toBe(E.ok);
      expect(server.thread.caller).toBeNull();
    });

    it('a receiver that comes first waits; the send hands it the message and the sender never blocks', () => {
      const { ipc, server, client } = twoProcesses();
      trap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT]);
      expect(server.thread.state).toBe('blocked');
      okTrap(ipc, client.thread, EP, Label.endpointSend, [5, 6, 7, 8, NO_SLOT, 0]);
      expect(client.thread.state).toBe('runnable');
      expect(server.thread.state).toBe('runnable');
      expect(regs(server.thread).slice(0, 7)).toEqual([E.ok, MessageKind.send, 5, 6, 7, 8, NO_SLOT]);
    });

    it('senders are served first come first', () => {
      const ipc = setupIpc(arch);
      const server = newProcess(ipc);
      okTrap(ipc, server.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.endpoint, EP]);
      const clients = [newProcess(ipc), newProcess(ipc), newProcess(ipc)];
      clients.forEach((c, i) => {
        server.space.cspace.copy(EP, c.space.cspace, EP);
        trap(ipc, c.thread, EP, Label.endpointSend, [100 + i, 0, 0, 0, NO_SLOT, 0]);
      });
      const got = [0, 1, 2].map(() => okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT])[2]);
      expect(got).toEqual([100, 101, 102]);
    });

    it('call blocks the caller until the reply; the reply slot empties after one reply', () => {
      const { ipc, server, client } = twoProcesses();
      trap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT]);
      trap(ipc, client.thread, EP, Label.endpointCall, [1, 2, 3, 4, NO_SLOT, 0]);
      expect(regs(server.thread).slice(0, 6)).toEqual([E.ok, MessageKind.call, 1, 2, 3, 4]);
      expect(client.thread.state).toBe('blocked');
      expect(client.thread.ipc.kind).toBe('awaiting-reply');
      expect(server.thread.caller).toBe(client.thread);
      okTrap(ipc, server.thread, EP, Label.endpointReply, [9, 8, 7, 6]);
      expect(client.thread.state).toBe('runnable');
      expect(regs(client.thread).slice(0, 7)).toEqual([E.ok, 0, 9, 8, 7, 6, NO_SLOT]);
      rejectedTrap(ipc, [server.space, client.space], [server.thread, client.thread], server.thread, EP, Label.endpointReply, [1, 1, 1, 1], E.noReplyTarget);
    });

    it('reply-receive answers one caller and takes the next', () => {
      const { ipc, server, client } = twoProcesses();
      const other = newProcess(ipc);
      server.space.cspace.copy(EP, other.space.cspace, EP);
      trap(ipc, client.thread, EP, Label.endpointCall, [1, 0, 0, 0, NO_SLOT, 0]);
      trap(ipc, other.thread, EP, Label.endpointCall, [2, 0, 0, 0, NO_SLOT, 0]);
      expect(okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT])[2]).toBe(1);
      const r = okTrap(ipc, server.thread, EP, Label.endpointReplyReceive, [10, 0, 0, 0, NO_SLOT]);
      expect(r.slice(1, 3)).toEqual([MessageKind.call, 2]);
      expect(regs(client.thread)[2]).toBe(10);
      expect(client.thread.state).toBe('runnable');
      expect(server.thread.caller).toBe(other.thread);
      // Nothing queued: the server now waits, still owing other its reply... which reply-receive gives first.
      trap(ipc, server.thread, EP, Label.endpointReplyReceive, [20, 0, 0, 0, NO_SLOT]);
      expect(regs(other.thread)[2]).toBe(20);
      expect(server.thread.state).toBe('blocked');
    });

    it('deleting the endpoint ends every wait on it with cancelled', () => {
      const { ipc, server, client } = twoProcesses();
      trap(ipc, client.thread, EP, Label.endpointSend, [1, 0, 0, 0, NO_SLOT, 0]);
      client.space.cspace.delete(EP);
      expect(client.thread.state).toBe('blocked');
      server.space.cspace.delete(EP);
      expect(client.thread.state).toBe('runnable');
      expect(regs(client.thread)[0]).toBe(E.cancelled);
      ipc.mm.pmm.audit();
    });

    it('revoking the untyped an endpoint and a thread came from cancels the waits and kills the thread; every frame comes back', () => {
      const { ipc, server, client } = twoProcesses();
      const start = ipc.mm.pmm.audit();
      okTrap(ipc, server.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.thread, 20]);
      const made = (bodyAt(server.space.cspace, 20) as unknown as { thread: import('../../kernel/native/native-thread').NativeThread }).thread;
      trap(ipc, client.thread, EP, Label.endpointCall, [1, 0, 0, 0, NO_SLOT, 0]);
      expect(client.thread.state).toBe('blocked');
      okTrap(ipc, server.thread, SLOT_SELF, Label.cspaceRevoke, [SLOT_UNTYPED]);
      expect(client.thread.state).toBe('runnable');
      expect(regs(client.thread)[0]).toBe(E.cancelled);
      expect(client.space.cspace.lookup(EP)).toBeNull();
      expect(made.state).toBe('dead');
      // Nothing retyped is left: no frame is a kernel object's any more, and none went anywhere else.
      const end = ipc.mm.pmm.audit();
      expect(end['kernel-object']).toBe(0);
      expect(end['untyped-reserved'] - start['untyped-reserved']).toBe(start['kernel-object']);
      expect(end.free).toBe(start.free);
    });

    it('suspending a waiting thread takes it out of the queue', () => {
      const { ipc, server, client } = twoProcesses();
      trap(ipc, client.thread, EP, Label.endpointSend, [1, 0, 0, 0, NO_SLOT, 0]);
      ipc.sched.stop(client.thread);
      expect(regs(client.thread)[0]).toBe(E.cancelled);
      trap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT]);
      expect(server.thread.state).toBe('blocked');
    });
  });

  describe('endpoints: capability transfer', () => {
    function withMo() {
      const t = twoProcesses();
      okTrap(t.ipc, t.client.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, MO, 2]);
      return t;
    }

    it('mints a derived capability with the rights given into the receiver slot', () => {
      const { ipc, server, client } = withMo();
      trap(ipc, client.thread, EP, Label.endpointCall, [7, 0, 0, 0, MO, RIGHT_READ | RIGHT_MAP]);
      const r = okTrap(ipc, server.thread, EP, Label.endpointReceive, [40]);
      expect(r[6]).toBe(40);
      const got = server.space.cspace.lookup(40)!;
      expect(got.rights).toBe(RIGHT_READ | RIGHT_MAP);
      expect(got.parent).toBe(client.space.cspace.lookup(MO));
      expect(got.object).toBe(client.space.cspace.lookup(MO)!.object);
      // Revoking the client's capability reaches the copy the server got.
      client.space.cspace.revoke(MO);
      expect(server.space.cspace.lookup(40)).toBeNull();
    });

    it('a receiver that accepts no capability gets the words alone, and so does one whose slot filled meanwhile', () => {
      const { ipc, server, client } = withMo();
      trap(ipc, client.thread, EP, Label.endpointSend, [7, 0, 0, 0, MO, RIGHT_READ]);
      expect(okTrap(ipc, server.thread, EP, Label.endpointReceive, [NO_SLOT])[6]).toBe(NO_SLOT);
      trap(ipc, server.thread, EP, Label.endpointReceive, [41]);
      server.space.cspace.copy(EP, server.space.cspace, 41);
      okTrap(ipc, client.thread, EP, Label.endpointSend, [8, 0, 0, 0, MO, RIGHT_READ]);
      expect(regs(server.thread).slice(2, 7)).toEqual([8, 0, 0, 0, NO_SLOT]);
      expect(bodyAt(server.space.cspace, 41).kind).toBe('endpoint');
    });

    it('a capability deleted while its sender waited is not transferred', () => {
      const { ipc, server, client } = withMo();
      trap(ipc, client.thread, EP, Label.endpointSend, [7, 0, 0, 0, MO, RIGHT_READ]);
      client.space.cspace.delete(MO);
      expect(okTrap(ipc, server.thread, EP, Label.endpointReceive, [40])[6]).toBe(NO_SLOT);
      expect(server.space.cspace.lookup(40)).toBeNull();
      ipc.mm.pmm.audit();
    });
  });

  describe('endpoints: bad arguments change nothing', () => {
    it('rejects missing rights, bad slots, bad rights masks and a reply with nobody to answer', () => {
      const { ipc, server, client } = twoProcesses(RIGHT_WRITE);
      okTrap(ipc, client.thread, SLOT_UNTYPED, Label.untypedRetype, [RetypeCode.memoryObject, MO, 2]);
      const spaces = [server.space, client.space];
      const threads = [server.thread, client.thread];
      const rej = (t: typeof client.thread, slot: number, label: number, args: number[], error: number) => rejectedTrap(ipc, spaces, threads, t, slot, label, args, error);
      // The client's endpoint capability has write alone: no receive, no capability transfer.
      rej(client.thread, EP, Label.endpointReceive, [NO_SLOT], E.insufficientRights);
      rej(client.thread, EP, Label.endpointReplyReceive, [0, 0, 0, 0, NO_SLOT], E.insufficientRights);
      rej(client.thread, EP, Label.endpointSend, [0, 0, 0, 0, MO, RIGHT_READ], E.insufficientRights);
      rej(client.thread, EP, Label.endpointReply, [], E.noReplyTarget);
      server.space.cspace.mint(EP, server.space.cspace, 12, RIGHT_READ | RIGHT_GRANT);
      rej(server.thread, 12, Label.endpointSend, [0, 0, 0, 0, NO_SLOT, 0], E.insufficientRights);
      rej(server.thread, 12, Label.endpointCall, [0, 0, 0, 0, NO_SLOT, 0], E.insufficientRights);
      // Transfers: an empty or outside slot, a rights mask beyond the capability's or no rights mask at all.
      rej(server.thread, EP, Label.endpointSend, [0, 0, 0, 0, 77, RIGHT_READ], E.invalidCapability);
      rej(server.thread, EP, Label.endpointSend, [0, 0, 0, 0, 300, RIGHT_READ], E.invalidCapability);
      rej(server.thread, EP, Label.endpointSend, [0, 0, 0, 0, 12, RIGHT_WRITE], E.insufficientRights);
      rej(server.thread, EP, Label.endpointSend, [0, 0, 0, 0, 12, 64], E.invalidArgument);
      // Receive slots: occupied, outside.
      rej(server.thread, EP, Label.endpointReceive, [SLOT_UNTYPED], E.slotOccupied);
      rej(server.thread, EP, Label.endpointReceive, [256], E.outOfRange);
      // Labels of other objects, and endpoint labels on other objects.
      rej(server.thread, EP, Label.memoryObjectCommit, [0, 1], E.illegalLabel);
      rej(client.thread, MO, Label.endpointSend, [0, 0, 0, 0, NO_SLOT, 0], E.illegalLabel);
      rej(server.thread, 99, Label.endpointSend, [0, 0, 0, 0, NO_SLOT, 0], E.invalidCapability);
    });

    it('an invocation without a thread (the kernel on a process\'s behalf) cannot do IPC', () => {
      const { ipc, server } = twoProcesses();
      const r = nativeInvoke({ mm: ipc.mm, cspace: server.space.cspace }, EP, Label.endpointSend, [0, 0, 0, 0, NO_SLOT, 0]);
      expect(r.error).toBe(E.illegalOperation);
    });
  });
});
