// Arguments for one fuzzed call: each register drawn from the pool its
// --strace kind suggests (kernel/linux/strace-specs.ts: descriptors and
// integers for decimals, the arena's structures for pointers, paths for
// strings, timespecs, random bit sets for flags, signal numbers), so a row
// another branch adds is fuzzed with sensible arguments as soon as it has a
// spec, and with a mix of everything when it has none. The registers past a
// call's arguments hold junk, as a real caller's would.

import { IOCTLS } from '../../kernel/linux/strace-flags';
import { SPECS, type Arg } from '../../kernel/linux/strace-specs';
import { INTEGERS, type FuzzArena } from './fuzz-arena';
import type { FuzzRandom } from './fuzz-random';

const AT_FDCWD = -100;

type Pool = 'int' | 'fd' | 'dirfd' | 'ptr' | 'string' | 'timespec' | 'flags' | 'sig' | 'mode' | 'ioctl' | 'any';

/** The ioctl requests --strace names, and a few more that ttys, sockets and files answer. */
const IOCTL_REQUESTS = [...Object.keys(IOCTLS).map(Number), 0x5409, 0x540b, 0x5420, 0x5450, 0x5451, 0x8912, 0x80086601, 0x40086602];

const POOL_OF: Partial<Record<Arg, Pool>> = {
  d: 'fd', l: 'int', x: 'flags', p: 'ptr', h: 'ptr', o: 'mode', s: 'string', dirfd: 'dirfd', ts: 'timespec', sig: 'sig', mode: 'mode',
  siginfo: 'ptr', itimerval: 'ptr', sockaddr: 'ptr', ioctl: 'ioctl',
};

export class FuzzArgs {
  constructor(
    private readonly rng: FuzzRandom,
    private readonly arena: FuzzArena,
    /** Descriptors worth naming: open ones of several kinds, closed ones, another process's. */
    private readonly fds: () => readonly number[],
  ) {}

  /** Six argument registers for the call named name. */
  forCall(name: string): number[] {
    const kinds = SPECS[name]?.args;
    const out: number[] = [];
    for (let i = 0; i < 6; i++) {
      const pool = kinds ? (i < kinds.length ? (POOL_OF[kinds[i]] ?? 'flags') : 'any') : 'any';
      out.push(this.value(pool));
    }
    return out;
  }

  private value(pool: Pool): number {
    const r = this.rng;
    // One argument in eight comes from anywhere: kinds guide, they do not fence.
    if (pool !== 'any' && r.chance(0.125)) pool = 'any';
    switch (pool) {
      case 'int':
        return r.chance(0.8) ? r.pick(INTEGERS) : r.u32();
      case 'fd':
        return r.chance(0.6) ? r.pick(this.fds()) : r.chance(0.7) ? r.below(8) : r.pick(INTEGERS);
      case 'dirfd':
        return r.chance(0.5) ? AT_FDCWD : r.pick(this.fds());
      case 'ptr':
        return r.chance(0.5) ? r.pick(this.arena.structs) : r.chance(0.2) ? r.pick(this.arena.strings) : r.pick(this.arena.pointers);
      case 'string':
        return r.chance(0.8) ? r.pick(this.arena.strings) : r.pick(this.arena.pointers);
      case 'timespec':
        return r.chance(0.7) ? r.pick(this.arena.timespecs) : r.pick(this.arena.pointers);
      case 'flags':
        return this.flags();
      case 'sig':
        return r.chance(0.8) ? r.below(66) : r.pick(INTEGERS);
      case 'ioctl':
        return r.chance(0.7) ? r.pick(IOCTL_REQUESTS) : this.flags();
      case 'mode':
        return r.pick([0, 0o777, 0o644, 0o4755, 0o7777, 0o170777, r.u32() & 0xffff, -1]);
      case 'any':
        return this.value(r.pick(['int', 'fd', 'dirfd', 'ptr', 'string', 'timespec', 'flags', 'sig'] as const));
    }
  }

  /** Flag words: zero, one bit, two bits, small values, everything, random. */
  private flags(): number {
    const r = this.rng;
    switch (r.below(6)) {
      case 0:
        return 0;
      case 1:
        return 2 ** r.below(32);
      case 2:
        return (2 ** r.below(24) + 2 ** r.below(24)) >>> 0;
      case 3:
        return r.below(20);
      case 4:
        return r.pick([-1, 0xffff_ffff, 0x8000_0000, 0x80000, 0x800, 0x4000]);
      default:
        return r.u32();
    }
  }
}
