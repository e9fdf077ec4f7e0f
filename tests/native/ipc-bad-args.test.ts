// A guest program calls the endpoint, thread, pager and mint-from labels with
// bad arguments and checks each error itself; here, kernel side, every
// rejected call must leave the object graph, the threads and the PMM audit
// exactly as they were.
import { describe, expect, it } from 'vitest';
import { nativeSnapshot, type NativeSnapshot } from '../../kernel/native/native-snapshot';
import { labelName } from '../../kernel/native/native-labels';
import { nativeErrorName } from '../../kernel/native/native-errors';
import type { InvocationObserver, NativeSystem } from '../../kernel/native/native-system';
import type { NativeProcess } from '../../kernel/native/native-process';
import { ARCHES, guest, runNative } from './native-run';

function threadsOf(p: NativeProcess) {
  return p.threads.map((t) => [t.tid, t.state, t.active, t.ipc.kind, t.caller?.tid ?? null, t.cspace ? 1 : 0, t.vspace?.id ?? null, t.ctx.pc, t.ctx.sp]);
}

describe.each(ARCHES)('native IPC ABI on %s: bad arguments from a user program', (arch) => {
  it('every IPC, thread, pager and mint-from label with bad arguments answers its error and changes nothing', () => {
    let before: { snap: NativeSnapshot; threads: unknown; scheduled: number[] } | undefined;
    let system: NativeSystem | undefined;
    const changed: string[] = [];
    const errors = new Map<string, number>();
    let rejected = 0;
    const picture = (p: NativeProcess) => ({ snap: nativeSnapshot(p.mm, p.cspace), threads: threadsOf(p), scheduled: system!.threads.sched.all.map((t) => t.tid) });
    const observer: InvocationObserver = {
      before: (p) => (before = picture(p)),
      after: (p, slot, label, args, r) => {
        if (r.error === 0) return;
        rejected++;
        const key = `${labelName(label)}: ${nativeErrorName(r.error)}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
        if (JSON.stringify(picture(p)) !== JSON.stringify(before)) changed.push(`slot ${slot} ${labelName(label)}(${args.join(', ')}) -> ${nativeErrorName(r.error)}`);
      },
    };
    const r = runNative(guest(arch, 'ipc-bad-args'), {
      untypedBits: 16,
      ram: 64 << 20,
      observer,
      onSystem: (s) => (system = s),
    });
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^cases = \d+\nmismatches = 0\n$/);
    expect(Number(/cases = (\d+)/.exec(r.out)![1])).toBeGreaterThan(50);
    expect(r.status).toBe(0);
    expect(changed).toEqual([]);
    expect(rejected).toBeGreaterThan(20 * 15 + 50);
    for (const key of [
      'endpointSend: insufficientRights',
      'endpointReceive: insufficientRights',
      'endpointReceive: slotOccupied',
      'endpointSend: invalidCapability',
      'endpointCall: invalidArgument',
      'endpointReply: noReplyTarget',
      'endpointReplyReceive: noReplyTarget',
      'threadResume: illegalOperation',
      'threadConfigure: wrongObjectType',
      'threadWriteRegisters: misaligned',
      'cspaceMintFrom: slotOccupied',
      'memoryObjectSetPager: insufficientRights',
      'untypedRetype: notEnoughMemory',
      'threadJoin: insufficientRights',
      'threadJoin: illegalOperation',
      'notificationSignal: illegalOperation',
      'notificationSignal: insufficientRights',
      'notificationWait: insufficientRights',
      'notificationPoll: insufficientRights',
      'cspaceMint: invalidArgument',
      'cspaceMintFrom: invalidArgument',
    ]) {
      expect(errors.get(key), key).toBeGreaterThan(0);
    }
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });
});
