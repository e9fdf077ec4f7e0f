// The fork and mm-server examples run as native processes: their output, the
// kernel's own counters, and the PMM after exit.
import { describe, expect, it } from 'vitest';
import { ARCHES, example, guest, runNative } from './native-run';

describe.each(ARCHES)('native IPC examples on %s', (arch) => {
  it('fork: the child sees the parent memory as it was at the fork; each side writes its own copy', () => {
    const r = runNative(example(arch, 'fork'), { strace: true });
    expect(r.status).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'parent: counter = 100',
      'parent: forked; copy-on-write clones: 2',
      'parent: wrote counter = 150',
      'child: counter = 100',
      'child: wrote counter = 201',
      'parent: the child sent 201',
      'parent: counter is still 150',
      expect.stringMatching(/^copy-on-write faults: \d+$/),
      expect.stringMatching(/^copy-on-write copies: \d+$/),
      "parent: the child's objects are gone, the Untyped is whole again",
      '',
    ]);
    // Both sides wrote the counter's page after the clone: at least two copy-on-write faults, as the kernel counted them.
    const faults = Number(/copy-on-write faults: (\d+)/.exec(r.out)![1]);
    expect(faults).toBeGreaterThanOrEqual(2);
    expect(r.kernel.mm.counters.faultsCow).toBeGreaterThanOrEqual(faults);
    // The child is a second thread, which made invocations of its own in its own capability space.
    expect(r.err).toMatch(/^\[2\] invoke slot 10 \(endpoint\) endpointSend\(201, 1, 0, 0, 0xffff, 0\) = 0$/m);
    expect(r.err).toMatch(/^\[1\] invoke slot \d+ \(endpoint\) endpointReceive\(0xffff\) = \? \(blocked\)$/m);
    expect(r.proc.threads.map((t) => t.state)).toEqual(['dead', 'dead']);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('mm-server: the client gets memory only by IPC; pager faults reach the server, the rest stay in the kernel', () => {
    const r = runNative(example(arch, 'mm-server'), { strace: true });
    expect(r.status).toBe(0);
    const out = r.out;
    expect(out).toContain('client: mmap gave 0x2000000000, the first bytes of its 4 pages sum to 10\n');
    expect(out).toContain('client: brk grew the heap to 12388 bytes; first byte 7, last byte 9\n');
    expect(out).toContain('client: brk shrank it to 4096 bytes, first byte still 7\n');
    // Each page of the paged object is read once: two faults, each sent to the server, each at the address read.
    expect(out).toContain('mm-server: pager fault on page 0 at 0x2000005008 (read)\nclient: read "page 0 of the paged object, filled by the mm-server"\n');
    expect(out).toContain('mm-server: pager fault on page 1 at 0x2000006008 (read)\nclient: read "page 1 of the paged object, filled by the mm-server"\n');
    // A clone of the paged object keeps the pager: the page filled before the clone reads the same without a
    // fault, a page committed nowhere faults to the server with the clone's token and is filled in the clone.
    expect(out).toContain(
      'mm-server: clone of the paged object at 0x2000005000 -> 0x2000009000\n' +
        'client: the clone\'s page 0 reads "page 0 of the paged object, filled by the mm-server"\n' +
        'mm-server: pager fault on page 2 of the clone at 0x200000b008 (read)\n' +
        'client: the clone\'s page 2 reads "page 2 of the clone, filled by the mm-server"\n',
    );
    expect(r.err).toMatch(/^\[1\] invoke slot \d+ \(memory-object\) memoryObjectClone\(1, \d+, 2\) = \d+$/m);
    expect(out).toContain('mm-server: the client is done after 8 requests and 3 pager faults\n');
    expect(out).toContain('mm-server: the client is gone, the Untyped is whole again\n');
    expect(r.system.threads.pagerFaults).toBe(3);
    // The client's other faults (its mmap, heap and stack pages) were resolved in the kernel without IPC.
    const demand = Number(/demand faults resolved in the kernel: (\d+)/.exec(out)![1]);
    expect(demand).toBeGreaterThanOrEqual(4 + 2 + 1);
    // The client invokes only its endpoint and the console (and its thread, should it exit before the server reaps it): no Untyped, no VSpace.
    const clientSlots = new Set([...r.err.matchAll(/^\[2\] invoke slot (\d+) \((\w[\w-]*)\)/gm)].map((m) => `${m[1]} ${m[2]}`));
    expect([...clientSlots].filter((s) => s !== '3 thread').sort()).toEqual(['10 endpoint', '4 debug']);
    expect(r.err).toMatch(/^\[2\] invoke slot 10 \(endpoint\) endpointCall\(1, 4, 0, 0, 0xffff, 0\) = \? \(blocked\)$/m);
    expect(r.err).toMatch(/^\[1\] invoke slot \d+ \(endpoint\) endpointReplyReceive\(/m);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('threads a program makes share its memory and take turns on the slice timer', () => {
    const r = runNative(guest(arch, 'threads'));
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe('main: two workers started; spinning until both have counted\nmain: both counted while main spun\nmain: a message from each worker\nmain: each carried a read-only copy of its stack capability\n');
    // Every thread spins, so only the timer's interrupts could give the workers the CPU.
    expect(r.system.preemptions).toBeGreaterThanOrEqual(2);
    expect(r.proc.threads.length).toBe(3);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('notify: signals OR badges into the word, waits take it, endpoint badges tell senders apart, a deleted notification cancels its wait', () => {
    const r = runNative(guest(arch, 'notify'), { strace: true });
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      [
        'poll before any signal: 0x0',
        'poll after signals with badges 1, 2, 2: 0x3',
        'poll again: 0x0',
        'main: both workers signalled, bits 0x3',
        'main: endpoint badges seen 0x300',
        'waiter: its wait ended with: cancelled',
        "waiter's badge: 0x400",
        '',
      ].join('\n'),
    );
    // Main blocked in a wait at least once, and a worker's signal woke it.
    expect(r.err).toMatch(/^\[1\] invoke slot \d+ \(notification\) notificationWait\(\) = \? \(blocked\)$/m);
    expect(r.err).toMatch(/^\[2\] invoke slot \d+ \(notification\) notificationSignal\(\) = 0$/m);
    expect(r.err).toMatch(/^\[1\] invoke slot 0 \(cspace\) cspaceMint\(\d+, \d+, 3, 4\) = \d+$/m);
    expect(r.proc.threads.map((t) => t.state)).toEqual(['dead', 'dead', 'dead', 'dead']);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('join: a thread exit ends only it, join waits for it and gets its status; the process has main\'s status', () => {
    const r = runNative(guest(arch, 'join'), { strace: true });
    expect(r.out).toBe(
      [
        'main: joined a worker, its status 42',
        'main: joined it again, at once: 42',
        'main: join itself: illegal operation',
        'joiner: its join of the deleted sleeper: cancelled',
        'main: returning 3 while a worker still runs',
        'late worker: done after main returned',
        '',
      ].join('\n'),
    );
    // The last thread to exit said 7; the process's status is the initial thread's return.
    expect(r.err).toMatch(/^\[5\] invoke slot \d+ \(thread\) threadExit\(7\) = \?$/m);
    expect(r.status).toBe(3);
    expect(r.err).toMatch(/^\[1\] invoke slot \d+ \(thread\) threadJoin\(\) = \? \(blocked\)$/m);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('a run whose every thread waits forever ends with SIGKILL and says so', () => {
    const r = runNative(guest(arch, 'deadlock'));
    expect(r.out).toBe('waiting for a message nobody can send\n');
    expect(r.err).toMatch(/SIGKILL: every thread is blocked forever \(deadlock\)\n$/);
    expect(r.status).toBe(128 + 9);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('a run whose only thread suspends itself ends with SIGKILL, and its frames come back', () => {
    const r = runNative(guest(arch, 'suspend-self'));
    expect(r.out).toBe('suspending the only thread\n');
    expect(r.err).toMatch(/SIGKILL: no thread can run \(all suspended\)\n$/);
    expect(r.status).toBe(128 + 9);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('ping-pong: 2000 calls answered by a reply-receive loop, every reply the one asked for', () => {
    const r = runNative(guest(arch, 'ping-pong'));
    expect(r.err).toBe('');
    expect(r.out).toBe('ping-pong: 2000 round trips, every reply right\n');
    expect(r.status).toBe(0);
    // The calls and the server's reply-receives, plus a handful of set-up invocations.
    expect(r.system.invocations).toBeGreaterThanOrEqual(2 * 2000);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });
});
