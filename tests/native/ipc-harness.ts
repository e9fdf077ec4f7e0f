// Kernel-level harness for the IPC and thread tests: processes (a capability
// space with an untyped) and threads in them, invoked through the native trap
// with their saved registers, and a snapshot of everything an invocation could change.

import { expect } from 'vitest';
import { BACKENDS, newMachine } from '../mm/backends';
import { A64Context } from '../../kernel/arch/aarch64/user-context';
import { X86Context } from '../../kernel/arch/x86_64/user-context';
import { readNative, writeNative } from '../../kernel/arch/native-abi';
import { KernelObject, type ObjectBody } from '../../kernel/cap/kernel-objects';
import type { CSpace } from '../../kernel/cap/cspace';
import { nativeErrorName } from '../../kernel/native/native-errors';
import { createNativeSpace, type NativeSpace } from '../../kernel/native/native-space';
import { NativeScheduler } from '../../kernel/native/native-scheduler';
import type { NativeThread } from '../../kernel/native/native-thread';

/** Threads get the registers of arch (the native n registers map onto them: kernel/arch/native-abi.ts). */
export function setupIpc(arch: 'aarch64' | 'x86_64' = 'aarch64') {
  const backend = BACKENDS[1];
  const { mem, mm } = newMachine(backend);
  const sched = new NativeScheduler(mm, () => (arch === 'x86_64' ? new X86Context() : new A64Context()));
  return { backend, mem, mm, sched };
}

export type Ipc = ReturnType<typeof setupIpc>;

/** A process: its own capability space (slot 0), an untyped (slot 1), and a running thread. */
export function newProcess(ipc: Ipc, untypedBits = 20): { space: NativeSpace; thread: NativeThread } {
  const space = createNativeSpace(ipc.mm, untypedBits);
  const thread = ipc.sched.newThread();
  thread.cspaceOf = { value: space.cspace, isDead: false };
  ipc.sched.start(thread);
  return { space, thread };
}

/** Invoke through the trap: n0 slot, n1 label, n2.. args; returns n0..n7 after it. */
export function trap(ipc: Ipc, t: NativeThread, slot: number, label: number, args: number[] = []): number[] {
  writeNative(t.ctx, 0, slot);
  writeNative(t.ctx, 1, label);
  for (let i = 0; i < 6; i++) writeNative(t.ctx, 2 + i, args[i] ?? 0);
  ipc.sched.trap(t);
  return regs(t);
}

/** n0..n7 of t. */
export function regs(t: NativeThread): number[] {
  return Array.from({ length: 8 }, (_, i) => readNative(t.ctx, i));
}

export function okTrap(ipc: Ipc, t: NativeThread, slot: number, label: number, args: number[] = []): number[] {
  const r = trap(ipc, t, slot, label, args);
  expect(nativeErrorName(r[0])).toBe('ok');
  return r;
}

export function bodyAt(cs: CSpace, slot: number): ObjectBody {
  const o = cs.lookup(slot)?.object;
  if (!(o instanceof KernelObject)) throw new Error(`slot ${slot} holds no kernel object`);
  return o.body;
}

function threadState(t: NativeThread) {
  return [t.tid, t.state, t.active, t.ipc.kind, t.caller?.tid ?? null, t.vspace?.id ?? null, t.ctx.pc, t.ctx.sp];
}

/** Everything an invocation could change, across the given spaces and threads (registers x0/x1 aside: the trap writes its answer there). */
export function snapshot(ipc: Ipc, spaces: NativeSpace[], threads: NativeThread[]) {
  const { mm } = ipc;
  return {
    frames: mm.pmm.audit(),
    slots: spaces.map((s) =>
      Array.from({ length: s.cspace.slotCount }, (_, i) => {
        const c = s.cspace.lookup(i);
        const body = (c?.object as KernelObject | undefined)?.body;
        return c ? [c.rights, c.children.size, body!.kind, c.badge, body!.kind === 'notification' ? body!.ntfn.word : 0] : null;
      }),
    ),
    untyped: [...mm.untypeds].map((u) => [u.usedBytes, u.liveChildren]),
    mos: [...mm.memoryObjects].map((m) => [m.id, m.committedPages, m.mappingCount, m.depth]),
    vspaces: [...mm.vspaces].map((v) => [v.id, v.mappedPages, v.regions.map((r) => [r.start, r.end, r.moPage, { ...r.perms }])]),
    threads: threads.map(threadState),
    scheduled: ipc.sched.sched.all.map((t) => t.tid),
    regs: threads.map((t) => regs(t).slice(2)),
  };
}

/** The invocation fails with error and changes nothing. */
export function rejectedTrap(ipc: Ipc, spaces: NativeSpace[], threads: NativeThread[], t: NativeThread, slot: number, label: number, args: number[], error: number): void {
  writeNative(t.ctx, 0, slot);
  writeNative(t.ctx, 1, label);
  for (let i = 0; i < 6; i++) writeNative(t.ctx, 2 + i, args[i] ?? 0);
  const before = snapshot(ipc, spaces, threads);
  ipc.sched.trap(t);
  expect(nativeErrorName(regs(t)[0])).toBe(nativeErrorName(error));
  expect(regs(t)[1]).toBe(0);
  expect(snapshot(ipc, spaces, threads)).toEqual(before);
}
