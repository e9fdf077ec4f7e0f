// The scheduler and futex queues on their own.

import { describe, expect, it } from 'vitest';
import { Futexes } from '../../kernel/linux/futex';
import { Scheduler } from '../../kernel/sched/scheduler';
import { BLOCKED, Thread } from '../../kernel/sched/thread';
import { A64Context } from '../../kernel/arch/aarch64/user-context';

describe('scheduler', () => {
  it('takes runnable threads in turn and polls blocked ones', () => {
    const s = new Scheduler<Thread>();
    const [a, b, c] = [new Thread(1, new A64Context()), new Thread(2, new A64Context()), new Thread(3, new A64Context())];
    [a, b, c].forEach((t) => s.add(t));
    let ready = false;
    b.block({ retry: () => (ready ? 42 : BLOCKED), interruptible: false });
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      const p = s.pick(() => false, -512);
      if (p.kind === 'run') order.push(p.thread.tid);
    }
    expect(order).toEqual([1, 3, 1, 3]);
    ready = true;
    const next = [s.pick(() => false, -512), s.pick(() => false, -512)].map((p) => (p.kind === 'run' ? p.thread.tid : 0));
    expect(next).toEqual([1, 2]);
    expect(b.ctx.result()).toBe(42);
  });

  it('wakes an interruptible wait when a signal is pending, with its own result if it has one', () => {
    const s = new Scheduler<Thread>();
    const a = new Thread(1, new A64Context());
    const b = new Thread(2, new A64Context());
    s.add(a);
    s.add(b);
    let cancelled = 0;
    a.block({ retry: () => BLOCKED, interruptible: true, cancel: () => void cancelled++ });
    b.block({ retry: () => BLOCKED, interruptible: true, interruptResult: -4 });
    expect(s.pick(() => false, -512).kind).toBe('idle');
    s.pick((t) => t === a || t === b, -512);
    s.pick((t) => t === a || t === b, -512);
    expect(a.ctx.result()).toBe(-512);
    expect(b.ctx.result()).toBe(-4);
    expect(cancelled).toBe(1);
  });

  it('reports the earliest deadline when every thread sleeps', () => {
    const s = new Scheduler<Thread>();
    const a = new Thread(1, new A64Context());
    s.add(a);
    const until = performance.now() + 50;
    a.block({ retry: () => (performance.now() >= until ? 0 : BLOCKED), deadline: until, interruptible: true });
    const p = s.pick(() => false, -512);
    expect(p).toEqual({ kind: 'sleep', until });
  });
});

describe('futex queues', () => {
  it('wake counts, bitsets, requeue and per-space keys', () => {
    const f = new Futexes();
    const w = [f.enqueue(1, 0x100, 0xffffffff), f.enqueue(1, 0x100, 0x1), f.enqueue(1, 0x100, 0x2), f.enqueue(2, 0x100, 0xffffffff)];
    expect(f.wake(1, 0x100, 1, 0x2)).toBe(1);
    expect(w.map((x) => x.woken)).toEqual([true, false, false, false]);
    expect(f.wake(1, 0x100, 5, 0x2)).toBe(1);
    expect(w[2].woken).toBe(true);
    expect(f.requeue(1, 0x100, 0, 0x200, 10)).toBe(1);
    expect(f.wake(1, 0x100, 10, 0xffffffff)).toBe(0);
    expect(f.wake(1, 0x200, 10, 0xffffffff)).toBe(1);
    expect(w[1].woken).toBe(true);
    expect(w[3].woken).toBe(false);
    f.cancel(w[3]);
    expect(f.wake(2, 0x100, 1, 0xffffffff)).toBe(0);
  });
});
