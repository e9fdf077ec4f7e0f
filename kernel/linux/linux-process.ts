// One Linux process: its threads, memory, descriptors, working directory,
// signal dispositions, children and exit state.

import type { AddressSpace } from '../process/address-space';
import { Credentials } from './credentials';
import { FdTable } from '../vfs/fd-table';
import type { LinuxThread } from './linux-thread';
import { PendingSignals, SignalHandlers } from './signal-state';

export type ExitState = { readonly kind: 'exited'; readonly status: number } | { readonly kind: 'signaled'; readonly signal: number; readonly message: string; readonly core?: boolean };

/** A stop or continue the parent has not yet collected with wait4/waitid (WUNTRACED, WCONTINUED). */
export type JobReport = { readonly kind: 'stopped'; readonly signal: number } | { readonly kind: 'continued' };

export interface Executable {
  /** The path /proc/self/exe names. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export class LinuxProcess {
  readonly threads = new Set<LinuxThread>();
  readonly children = new Set<LinuxProcess>();
  readonly pending = new PendingSignals();
  cwd = '/';
  /** The root directory (chroot), as a path of the whole file system; fork copies it. */
  root = '/';
  umask = 0o022;
  /** User and group ids and capabilities (fork copies them, exec keeps the ids). */
  creds = Credentials.ofHost();
  exit: ExitState | undefined;
  /** Sent to the parent at exit (clone's low byte; SIGCHLD for fork). */
  exitSignal = 17;
  /** A vfork parent thread, blocked until this process execs or exits. */
  vforkParent: LinuxThread | undefined;
  pgid: number;
  sid: number;
  /** Job control: stopped by SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU until SIGCONT. */
  stopped = false;
  jobReport: JobReport | undefined;

  constructor(
    readonly pid: number,
    public parent: LinuxProcess | null,
    public mem: AddressSpace,
    public fds: FdTable,
    public handlers: SignalHandlers,
    public exe: Executable,
  ) {
    this.pgid = parent?.pgid ?? pid;
    this.sid = parent?.sid ?? pid;
  }

  get isZombie(): boolean {
    return this.exit !== undefined;
  }

  /** The status word wait4 reports. */
  get waitStatus(): number {
    const e = this.exit!;
    return e.kind === 'exited' ? (e.status & 0xff) << 8 : (e.signal & 0x7f) | (e.core ? 0x80 : 0);
  }
}

export { FdTable };
