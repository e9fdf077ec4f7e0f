// Identity: uname, the id calls, sysinfo, prctl, scheduler queries; the
// calls that only need to succeed.

import { EINVAL } from './errno';
import type { Call, Syscall } from './syscall-context';
import { encodeU64s } from './syscall-context';

const uname: Syscall = (c) => {
  const fields = ['Linux', 'salty', '6.1.0-salty', '#1 SMP PREEMPT salty', c.sys.kernel.arch, '(none)'];
  const out = new Uint8Array(65 * 6);
  fields.forEach((s, i) => out.set(Buffer.from(s), 65 * i));
  c.user.write(c.a[0], out);
  return 0;
};

const sysinfo: Syscall = (c) => {
  const out = new Uint8Array(112);
  const v = new DataView(out.buffer);
  v.setUint32(0, Math.floor(c.sys.now() / 1000) + 1000, true);
  v.setUint32(32, c.sys.kernel.phys.ramSize, true);
  v.setUint32(40, Math.floor(c.sys.kernel.phys.ramSize / 2), true);
  v.setUint16(80, c.sys.processes.size, true);
  v.setUint32(104, 1, true);
  c.user.write(c.a[0], out);
  return 0;
};

const PR_SET_NAME = 15;
const PR_GET_NAME = 16;

const prctl: Syscall = (c) => {
  switch (c.int(0)) {
    case PR_SET_NAME:
      return 0;
    case PR_GET_NAME:
      c.user.write(c.a[1], Buffer.from('salty\0'));
      return 0;
    default:
      return -EINVAL;
  }
};

const schedGetaffinity: Syscall = (c) => {
  const size = Math.min(c.a[1], 8);
  if (size < 8) return -EINVAL;
  c.user.write(c.a[2], encodeU64s([1]));
  return 8;
};

const getresid: Syscall = (c) => {
  for (const a of c.a.slice(0, 3)) if (a !== 0) c.user.write(a, new Uint8Array(4));
  return 0;
};

const zero: Syscall = () => 0;

const getpid: Syscall = (c) => c.p.pid;
const getppid: Syscall = (c) => c.p.parent?.pid ?? 1;
const gettid: Syscall = (c) => c.t.tid;

// Rows of syscall-table.ts name these handlers.
export { uname, zero, getresid, sysinfo, prctl, schedGetaffinity, getpid, getppid, gettid };
