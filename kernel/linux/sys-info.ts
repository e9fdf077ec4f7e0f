// Identity: uname, the id calls, sysinfo, prctl, scheduler queries; the
// calls that only need to succeed.

import { EPERM } from './errno';
import type { Call, Syscall } from './syscall-context';
import { KERNEL_RELEASE, KERNEL_VERSION } from './kernel-identity';
import { nsOf, timeOffsetMs } from './namespaces';
import { UPTIME_AT_START } from './clocks';

const CLOCK_BOOTTIME = 7;

const uname: Syscall = (c) => {
  const uts = nsOf(c.sys, c.p).uts;
  const fields = ['Linux', uts.hostname, KERNEL_RELEASE, KERNEL_VERSION, c.sys.kernel.arch, uts.domainname];
  const out = new Uint8Array(65 * 6);
  // Each field is at most 64 bytes and a NUL (a name written through /proc may encode to more bytes than characters).
  fields.forEach((s, i) => out.set(Buffer.from(s).subarray(0, 64), 65 * i));
  c.user.write(c.a[0], out);
  return 0;
};

const sysinfo: Syscall = (c) => {
  const out = new Uint8Array(112);
  const v = new DataView(out.buffer);
  // Seconds since boot rounded up, RAM and free RAM from the PMM (as /proc/uptime and /proc/meminfo), threads.
  const pmm = c.sys.kernel.mm.pmm;
  v.setUint32(0, Math.ceil((c.sys.now() + UPTIME_AT_START + timeOffsetMs(c.sys, c.p, CLOCK_BOOTTIME)) / 1000), true);
  v.setUint32(32, (pmm.frameCount * 4096) % 2 ** 32, true);
  v.setUint32(36, Math.floor((pmm.frameCount * 4096) / 2 ** 32), true);
  v.setUint32(40, (pmm.freeFrames * 4096) % 2 ** 32, true);
  v.setUint32(44, Math.floor((pmm.freeFrames * 4096) / 2 ** 32), true);
  v.setUint16(80, c.sys.threads.size, true);
  v.setUint32(104, 1, true);
  c.user.write(c.a[0], out);
  return 0;
};

const zero: Syscall = () => 0;

const CAP_SYS_TTY_CONFIG = 26;

/** vhangup hangs up the caller's controlling terminal: salty's processes have none (the console is not one), so only the permission is checked. */
const vhangup: Syscall = (c) => (c.p.creds.capable(CAP_SYS_TTY_CONFIG) ? 0 : -EPERM);

const getpid: Syscall = (c) => c.p.pid;
const getppid: Syscall = (c) => c.p.parent?.pid ?? 1;
const gettid: Syscall = (c) => c.t.tid;

// Rows of syscall-table.ts name these handlers.
export { uname, zero, vhangup, sysinfo, getpid, getppid, gettid };
