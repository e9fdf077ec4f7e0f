// One fuzzing process and what its calls point at: the arena of guest memory,
// descriptors of every kind (a file, a directory, a symlink's target, pipe,
// socket pair, datagram socket, eventfd, timerfd, /dev/null, a closed one, a
// high one, and "foreign" ones open only in a helper child), signal handlers
// for every catchable signal (so a pending signal enters a handler frame
// instead of ending the process), and forked children for the calls that run
// there. Everything is set up through the dispatcher, as a program would.

import type { LinuxProcess } from '../../kernel/linux/linux-process';
import type { LinuxThread } from '../../kernel/linux/linux-thread';
import { ARENA, FuzzArena, NONE_PAGE, PAGE, PATHS, RO_PAGE, RW_PAGES } from './fuzz-arena';
import { FUZZ_ELF_ENTRY } from './fuzz-elf';
import type { SyscallFuzzer } from './syscall-fuzzer';

const AT_FDCWD = -100;
const O_RDWR = 2;
const O_CREAT = 0x40;
const O_NONBLOCK = 0x800;
const PROT_READ = 1;
const PROT_RW = 3;
const MAP_FIXED_PRIVATE_ANON = 0x32;
const SIGCHLD = 17;
const WNOHANG = 1;
const SA_RESTORER = 0x0400_0000;
/** Calls one child makes before a fresh one is forked. */
const CHILD_CALLS = 8;
/** Where setup calls leave their results (pipe2's and socketpair's pairs) and build a sigaction. */
const SCRATCH = ARENA + 4 * PAGE + 3072;

export class FuzzEpoch {
  readonly t: LinuxThread;
  readonly arena: FuzzArena;
  /** The stack pointer every call starts with (signal frames pushed by the last one are dropped). */
  readonly stackTop: number;
  private readonly fds: number[] = [];
  private helper: LinuxProcess | undefined;
  /** The child that makes the calls of fuzz-policy.ts's IN_CHILD, and how many it has made. */
  private child: LinuxProcess | undefined;
  private childCalls = 0;

  constructor(
    private readonly f: SyscallFuzzer,
    readonly p: LinuxProcess,
  ) {
    this.t = [...p.threads][0];
    this.stackTop = this.t.ctx.sp;
    this.arena = new FuzzArena(FUZZ_ELF_ENTRY, this.stackTop - 4096);
  }

  /** The fuzzing process has ended (a call killed it). */
  get ended(): boolean {
    return this.p.exit !== undefined;
  }

  /** Small integers worth passing where a descriptor or an id goes: our descriptors, pids, boundary numbers. */
  ids(): readonly number[] {
    return this.idPool;
  }

  private idPool: number[] = [];

  prepare(): void {
    const user = this.p.mem.user;
    this.sys('mmap', ARENA, RW_PAGES * PAGE, PROT_RW, MAP_FIXED_PRIVATE_ANON, -1, 0);
    this.sys('mmap', RO_PAGE, PAGE, PROT_RW, MAP_FIXED_PRIVATE_ANON, -1, 0);
    this.sys('mmap', NONE_PAGE, PAGE, 0, MAP_FIXED_PRIVATE_ANON, -1, 0);
    this.arena.fill(user, this.f.rng);
    this.sys('mprotect', RO_PAGE, PAGE, PROT_READ);
    for (const dir of ['/tmp', '/tmp/fz', '/tmp/fz/dir']) this.sys('mkdirat', AT_FDCWD, this.path(dir), 0o777);
    this.open('/tmp/fz/a', O_RDWR | O_CREAT);
    this.sys('write', this.fds[this.fds.length - 1] ?? -1, ARENA + 4 * PAGE, 1000);
    this.sys('symlinkat', this.path('/tmp/fz/a'), AT_FDCWD, this.path('/tmp/fz/link'));
    // O_NONBLOCK: an earlier epoch's calls may have left a FIFO at this path, and a blocking open would end the process before its handlers are set.
    this.open('/tmp/fz/dir', O_NONBLOCK);
    this.open('/dev/null', O_RDWR);
    this.pair('pipe2', [SCRATCH, 0]);
    this.pair('socketpair', [1, 1, 0, SCRATCH]);
    this.keep(this.sys('socket', 1, 2, 0));
    this.keep(this.sys('eventfd2', 0, 0));
    this.keep(this.sys('timerfd_create', 1, 0));
    const closed = this.sys('dup', 0);
    this.sys('close', closed);
    this.keep(this.sys('dup3', this.fds[0] ?? 0, 900, 0));
    this.handleSignals();
    this.helper = this.fork();
    let foreign: number[] = [];
    if (this.helper) {
      const h = [...this.helper.threads][0];
      const fd = this.f.call(h, 'openat', [AT_FDCWD, this.path('/tmp/fz/b'), O_RDWR | O_CREAT, 0o600, 0, 0], false) ?? -1;
      foreign = [fd, this.f.call(h, 'dup3', [fd, 700, 0, 0, 0, 0], false) ?? -1].filter((x) => x >= 0);
    }
    const pids = [this.p.pid, this.helper?.pid ?? 0, 1, 0, -1, -this.p.pgid];
    this.idPool = [...this.fds, closed, ...foreign, ...pids, 0, 1, 2, -1, 1023, 1024, 65536, 0x7fff_ffff, AT_FDCWD];
  }

  /** The helper child writes to every descriptor it shares with the fuzzing process (a blocked read's data arrives). */
  wakeFromHelper(): void {
    const h = this.helper;
    if (!h || h.exit !== undefined) return;
    const ht = [...h.threads][0];
    for (const fd of this.fds) {
      if (h.exit !== undefined) return;
      this.f.call(ht, 'write', [fd, ARENA + 4 * PAGE, 64, 0, 0, 0], false);
      // The u64 1 (an eventfd's increment): the nanoseconds of the timespec {0, 1}.
      if (h.exit === undefined) this.f.call(ht, 'write', [fd, this.arena.timespecs[1] + 8, 8, 0, 0, 0], false);
    }
  }

  /** Forks the fuzzing process through the dispatcher; the child's process, or undefined when clone failed. */
  fork(): LinuxProcess | undefined {
    this.t.ctx.sp = this.stackTop;
    const pid = this.f.call(this.t, 'clone', [SIGCHLD, 0, 0, 0, 0, 0], false) ?? -1;
    const child = pid > 0 ? this.f.sys.processes.get(pid) : undefined;
    return child && child.exit === undefined ? child : undefined;
  }

  /**
   * The thread that makes the next call meant for a child: the last child's
   * while it lives, can run and has made fewer than CHILD_CALLS (a fork per
   * call would cost more than the calls), else a new child's.
   */
  childThread(): LinuxThread | undefined {
    const c = this.child;
    const t = c && c.exit === undefined && !c.stopped ? [...c.threads].find((x) => x.state === 'runnable') : undefined;
    if (t && this.childCalls < CHILD_CALLS) {
      this.childCalls++;
      return t;
    }
    this.endChildren();
    this.child = this.fork();
    this.childCalls = 1;
    return this.child ? [...this.child.threads][0] : undefined;
  }

  /** After a call in a child: what it made (processes, threads) is killed, and the zombies are reaped through wait4. */
  endGrandchildren(): void {
    this.endChildren(this.child);
  }

  /** Every process but this one, the helper and keep is killed, and the zombies are reaped through wait4. */
  endChildren(keep?: LinuxProcess): void {
    for (const q of [...this.f.sys.processes.values()]) {
      if (q !== this.p && q !== this.helper && q !== keep && q.exit === undefined) this.f.sys.killBySignal(q, 9);
    }
    if (keep && keep.exit === undefined) for (const t of [...keep.threads].slice(1)) this.f.sys.endThread(t, true);
    if (this.ended) return;
    for (let i = 0; i < 64; i++) {
      const r = this.f.call(this.t, 'wait4', [-1, 0, WNOHANG, 0, 0, 0], false);
      if (r === null || r <= 0 || this.ended) break;
    }
  }

  private sys(name: string, ...args: number[]): number {
    this.t.ctx.sp = this.stackTop;
    return this.f.call(this.t, name, args, false) ?? -1;
  }

  /** The arena address of one of PATHS. */
  path(p: string): number {
    return this.arena.strings[PATHS.indexOf(p)];
  }

  private open(p: string, flags: number): void {
    this.keep(this.sys('openat', AT_FDCWD, this.path(p), flags, 0o644));
  }

  private keep(fd: number): void {
    if (fd >= 0) this.fds.push(fd);
  }

  /** pipe2 and socketpair write their two descriptors at SCRATCH. */
  private pair(name: string, args: number[]): void {
    if (this.sys(name, ...args) !== 0) return;
    const v = new DataView(this.p.mem.user.read(SCRATCH, 8).buffer);
    this.keep(v.getInt32(0, true));
    this.keep(v.getInt32(4, true));
  }

  /** A handler (never run: no guest code runs) with SA_RESTORER for every signal that can be caught. */
  private handleSignals(): void {
    const act = new DataView(new ArrayBuffer(32));
    act.setUint32(0, FUZZ_ELF_ENTRY, true);
    act.setUint32(8, SA_RESTORER, true);
    act.setUint32(16, FUZZ_ELF_ENTRY, true);
    this.p.mem.user.write(SCRATCH + 64, new Uint8Array(act.buffer));
    for (let sig = 1; sig <= 64; sig++) if (sig !== 9 && sig !== 19) this.sys('rt_sigaction', sig, SCRATCH + 64, 0, 8);
  }
}
