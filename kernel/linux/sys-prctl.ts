// prctl's process options (death signal, dumpable, timing, timer slack,
// no_new_privs, THP disable, seccomp absent) and personality. The
// capability options go on to sys-creds.ts.

import { EINVAL } from './errno';
import { controlOf, setThreadName, threadName, timerSlackOf } from './process-control';
import { NSIG } from './signal-state';
import { capabilityPrctl } from './sys-creds';
import type { Call, Syscall } from './syscall-context';

const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_GET_TIMING = 13;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_SET_TIMING = 14;
const PR_GET_SECCOMP = 21;
const PR_SET_SECCOMP = 22;
const PR_SET_TIMERSLACK = 29;
const PR_GET_TIMERSLACK = 30;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;
const PR_SET_THP_DISABLE = 41;
const PR_GET_THP_DISABLE = 42;

function putInt(c: Call, addr: number, x: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, x, true);
  c.user.write(addr, b);
}

/** Up to 15 bytes, as strncpy_from_user takes a comm: no NUL needed. */
function readName(c: Call, addr: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < 15; i++) {
    const b = c.user.read(addr + i, 1)[0];
    if (b === 0) break;
    bytes.push(b);
  }
  return Buffer.from(bytes).toString('latin1');
}

/** Are arguments from..5 all zero (the options that take fewer insist on it)? */
const unused = (c: Call, from: number): boolean => c.a.slice(from, 5).every((x) => x === 0);

const prctl: Syscall = (c) => {
  const ctl = controlOf(c.p);
  const arg2 = c.a[1];
  switch (c.int(0)) {
    case PR_SET_PDEATHSIG:
      if (arg2 < 0 || arg2 > NSIG) return -EINVAL;
      ctl.deathSignal = arg2;
      return 0;
    case PR_GET_PDEATHSIG:
      putInt(c, arg2, ctl.deathSignal);
      return 0;
    case PR_GET_DUMPABLE:
      return ctl.dumpable;
    case PR_SET_DUMPABLE:
      if (arg2 !== 0 && arg2 !== 1) return -EINVAL;
      ctl.dumpable = arg2;
      return 0;
    case PR_SET_NAME:
      setThreadName(c.t, readName(c, arg2));
      return 0;
    case PR_GET_NAME: {
      const out = new Uint8Array(16);
      out.set(Buffer.from(threadName(c.t)).subarray(0, 15));
      c.user.write(arg2, out);
      return 0;
    }
    case PR_GET_TIMING:
      return 0;
    case PR_SET_TIMING:
      return arg2 === 0 ? 0 : -EINVAL;
    // Built without seccomp, as Linux without CONFIG_SECCOMP answers.
    case PR_GET_SECCOMP:
    case PR_SET_SECCOMP:
      return -EINVAL;
    case PR_SET_TIMERSLACK: {
      const s = timerSlackOf(c.t);
      s.current = arg2 === 0 ? s.default : arg2;
      return 0;
    }
    case PR_GET_TIMERSLACK:
      return timerSlackOf(c.t).current;
    case PR_SET_NO_NEW_PRIVS:
      if (arg2 !== 1 || !unused(c, 2)) return -EINVAL;
      ctl.noNewPrivs = true;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      if (!unused(c, 1)) return -EINVAL;
      return ctl.noNewPrivs ? 1 : 0;
    case PR_SET_THP_DISABLE:
      if (!unused(c, 2)) return -EINVAL;
      ctl.thpDisable = arg2 !== 0;
      return 0;
    case PR_GET_THP_DISABLE:
      if (!unused(c, 1)) return -EINVAL;
      return ctl.thpDisable ? 1 : 0;
    default:
      return capabilityPrctl(c) ?? -EINVAL;
  }
};

/** personality: 0xffffffff only asks; anything else becomes the persona. The old one is returned. */
const personality: Syscall = (c) => {
  const ctl = controlOf(c.p);
  const old = ctl.personality;
  if (c.u32(0) !== 0xffffffff) ctl.personality = c.u32(0);
  return old;
};

// Rows of syscall-table.ts name these handlers.
export { prctl, personality };
