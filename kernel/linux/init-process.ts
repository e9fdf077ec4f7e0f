// PID 1. Salty runs the guest's program as the first process of its own
// (pid 1000 and up, as a program started from a shell has), under an init
// that the kernel stands for without running any code: PID 1 is root's,
// sleeps forever, leads its own group and session, is the parent orphans
// see (getppid answers 1), ignores every signal it has no handler for (all
// of them, as Linux's init ignores unhandled signals, SIGKILL included), and
// shows in /proc/1 as an idle init would. The calls that name a pid look it
// up here when no guest process has it.

import { Credentials } from './credentials';
import type { LinuxSystem } from './linux-system';
import { procDir, procFile, type ProcEntry } from './proc-fs';

export const INIT_PID = 1;
const COMM = 'init';

/** Root's ids and every capability. */
export const INIT_CREDS: Credentials = Credentials.of(0, 0, []);

/** Is pid the stand-in init (no guest process has taken the number)? */
export function isInit(sys: LinuxSystem, pid: number): boolean {
  return pid === INIT_PID && !sys.processes.has(INIT_PID) && !sys.threads.has(INIT_PID);
}

/** /proc/1/stat: sleeping, no parent, its own group and session, no terminal, nice 0, one thread, started at boot. */
function statText(): string {
  const fields: (string | number)[] = [INIT_PID, `(${COMM})`, 'S', 0, INIT_PID, INIT_PID, 0, -1, 0x400100];
  // minflt .. cstime, priority 20, nice 0, threads 1, itrealvalue, starttime 0, vsize, rss, rsslim
  fields.push(0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1, 0, 0, 0, 0, '18446744073709551615');
  // startcode .. wchan, nswap, cnswap, exit_signal 17, processor, rt_priority, policy, delayacct, guest times, data and arg/env/exit addresses, exit code
  while (fields.length < 37) fields.push(0);
  fields.push(17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  return `${fields.join(' ')}\n`;
}

function statusText(): string {
  const lines = [
    `Name:\t${COMM}`,
    'Umask:\t0022',
    'State:\tS (sleeping)',
    `Tgid:\t${INIT_PID}`,
    'Ngid:\t0',
    `Pid:\t${INIT_PID}`,
    'PPid:\t0',
    'TracerPid:\t0',
    'Uid:\t0\t0\t0\t0',
    'Gid:\t0\t0\t0\t0',
    'FDSize:\t64',
    'Groups:\t',
    `NStgid:\t${INIT_PID}`,
    `NSpid:\t${INIT_PID}`,
    `NSpgid:\t${INIT_PID}`,
    `NSsid:\t${INIT_PID}`,
    'Threads:\t1',
    'SigQ:\t0/0',
    'SigPnd:\t0000000000000000',
    'ShdPnd:\t0000000000000000',
    'SigBlk:\t0000000000000000',
    'SigIgn:\t0000000000000000',
    'SigCgt:\t0000000000000000',
    'CapInh:\t0000000000000000',
    'CapPrm:\t000001ffffffffff',
    'CapEff:\t000001ffffffffff',
    'CapBnd:\t000001ffffffffff',
    'CapAmb:\t0000000000000000',
    'NoNewPrivs:\t0',
    'Seccomp:\t0',
    'voluntary_ctxt_switches:\t0',
    'nonvoluntary_ctxt_switches:\t0',
  ];
  return `${lines.join('\n')}\n`;
}

/** /proc/1: the files a program reads about init; root's, and environ and the descriptors are root's only. */
export function initProcDir(): ProcEntry {
  const root = (e: ProcEntry): ProcEntry => (e.kind === 'link' ? e : { ...e, uid: 0, gid: 0 });
  const dir = procDir({
    stat: () => root(procFile(statText)),
    status: () => root(procFile(statusText)),
    cmdline: () => root(procFile(() => `/sbin/${COMM}\0`)),
    comm: () => root(procFile(() => `${COMM}\n`)),
    environ: () => root(procFile(() => '', 0o400)),
    fd: () => ({ kind: 'dir', perm: 0o500, uid: 0, gid: 0, names: () => [], child: () => null }),
  });
  return dir.kind === 'dir' ? { ...dir, uid: 0, gid: 0, process: 'init' } : dir;
}
