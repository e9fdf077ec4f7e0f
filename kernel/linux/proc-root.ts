// The /proc tree: the system-wide files, /proc/sys, self, and a directory
// per process (with task/<tid> per thread) whose files come from the
// process's state when they are read.

import { InotifyFile } from '../vfs/inotify';
import type { MemFile } from '../vfs/node';
import { RegularFile } from '../vfs/open-file';
import { EACCES, EINVAL } from './errno';
import { CAP_SYS_RESOURCE } from './credentials';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { formatMaps } from './proc-maps';
import { pagemapRead, smapsRollupText, smapsText } from './proc-smaps';
import { procDir, procFile, type ProcEntry } from './proc-fs';
import { auxvBytes, cmdlineText, commOf, environText, setComm, statmText, statText, statusText } from './proc-process';
import { procSysDir, sigQueueMax } from './proc-sys';
import { sysvipcDir } from './proc-sysvipc';
import { nsDir } from './namespaces';
import { UPTIME_AT_START } from './clocks';
import { timerslackFile } from './proc-timerslack';
import { timensOffsetsFile } from './proc-timens';
import { INIT_PID, initProcDir, isInit } from './init-process';
import * as system from './proc-system';
import { oomScore } from './oom-killer';

const oomScoreAdj = new WeakMap<LinuxProcess, number>();
const startTicks = new WeakMap<LinuxProcess, number>();

/** /proc/PID/oom_score_adj's value (-1000 to 1000; the OOM killer reads it). */
export function oomScoreAdjOf(p: LinuxProcess): number {
  return oomScoreAdj.get(p) ?? 0;
}

/** A forked child keeps its parent's oom_score_adj, and starts now. */
export function procForked(sys: LinuxSystem, child: LinuxProcess, parent: LinuxProcess): void {
  const adj = oomScoreAdj.get(parent);
  if (adj !== undefined) oomScoreAdj.set(child, adj);
  startTicks.set(child, Math.floor((sys.now() + UPTIME_AT_START) / 10));
}

function oomFile(p: LinuxProcess, scale: (v: number) => number, unscale: (v: number) => number, min: number, max: number): ProcEntry {
  return {
    kind: 'file',
    perm: 0o644,
    uid: p.creds.euid,
    gid: p.creds.egid,
    source: {
      read: () => `${scale(oomScoreAdj.get(p) ?? 0)}\n`,
      write: (text) => {
        const m = /^\s*([-+]?\d+)\s*$/.exec(text);
        const v = m ? Number(m[1]) : NaN;
        if (!(v >= min && v <= max)) return -EINVAL;
        const adj = unscale(v);
        // Lowering the score below what it was needs CAP_SYS_RESOURCE.
        if (adj < (oomScoreAdj.get(p) ?? 0) && !p.creds.capable(CAP_SYS_RESOURCE)) return -EACCES;
        oomScoreAdj.set(p, adj);
        return text.length;
      },
    },
  };
}

/** /proc/PID/fd/N: a magic link that reopens an in-memory file even when its path is gone (a memfd, an unlinked file). */
function fdLink(p: LinuxProcess, n: string): ProcEntry | null {
  const f = /^\d+$/.test(n) ? p.fds.get(Number(n)) : undefined;
  if (!f) return null;
  const inode = f instanceof RegularFile ? f.inode : undefined;
  const magic = inode?.layer === 'mem' && inode.kind === 'file' ? inode : undefined;
  return { kind: 'link', target: f.path, magic };
}

function fdDir(p: LinuxProcess): ProcEntry {
  return { kind: 'dir', perm: 0o500, uid: p.creds.euid, gid: p.creds.egid, names: () => p.fds.list().map(String), child: (n) => fdLink(p, n) };
}

function fdinfoDir(p: LinuxProcess): ProcEntry {
  const info = (fd: number): ProcEntry | null => {
    const f = p.fds.get(fd);
    if (!f) return null;
    const flags = f.statusFlags | (p.fds.cloexec(fd) ? 0o2000000 : 0);
    return procFile(() => `pos:\t${f.offset}\nflags:\t0${flags.toString(8).padStart(7, '0')}\nmnt_id:\t21\nino:\t${f.attrs().ino}\n${f instanceof InotifyFile ? f.fdinfoLines() : ''}`, 0o444);
  };
  return { kind: 'dir', perm: 0o500, uid: p.creds.euid, gid: p.creds.egid, names: () => p.fds.list().map(String), child: (n) => (/^\d+$/.test(n) ? info(Number(n)) : null) };
}

export class ProcRoot {
  private readonly exeFiles = new WeakMap<LinuxProcess, MemFile>();

  constructor(private readonly sys: LinuxSystem) {}

  private owned(p: LinuxProcess, read: () => string | Uint8Array, perm = 0o444): ProcEntry {
    return { kind: 'file', perm, uid: p.creds.euid, gid: p.creds.egid, source: { read } };
  }

  private exe(p: LinuxProcess): ProcEntry {
    let f = this.exeFiles.get(p);
    if (!f || f.data !== p.exe.bytes) {
      f = this.sys.fs.newFile(p.exe.bytes, 0o755);
      this.exeFiles.set(p, f);
    }
    return { kind: 'link', target: p.exe.path, magic: f };
  }

  /** The files of /proc/<pid> (t undefined) or /proc/<pid>/task/<tid>. */
  private processDir(p: LinuxProcess, t?: LinuxThread): ProcEntry {
    const sys = this.sys;
    const alive = !p.isZombie;
    const children: Record<string, () => ProcEntry | null> = {
      status: () => this.owned(p, () => statusText(sys, p, t, sigQueueMax(sys))),
      stat: () => this.owned(p, () => statText(sys, p, t, startTicks.get(p) ?? UPTIME_AT_START / 10)),
      statm: () => this.owned(p, () => statmText(p)),
      cmdline: () => this.owned(p, () => cmdlineText(p)),
      environ: () => this.owned(p, () => environText(p), 0o400),
      auxv: () => this.owned(p, () => auxvBytes(p), 0o400),
      comm: () => ({
        kind: 'file',
        perm: 0o644,
        uid: p.creds.euid,
        gid: p.creds.egid,
        source: {
          read: () => `${commOf(p, t)}\n`,
          write: (text) => {
            setComm(p, t ?? [...p.threads].find((x) => x.tid === p.pid) ?? [...p.threads][0], text.replace(/\n$/, ''));
            return text.length;
          },
        },
      }),
      maps: () => (alive ? this.owned(p, () => formatMaps(p.mem, sys.kernel.machine.signals.trampoline?.address)) : this.owned(p, () => '')),
      smaps: () => this.owned(p, () => (alive ? smapsText(p.mem, sys.kernel.machine.signals.trampoline?.address) : '')),
      smaps_rollup: () => this.owned(p, () => (alive ? smapsRollupText(p.mem, sys.kernel.machine.signals.trampoline?.address) : '')),
      pagemap: () => ({ ...this.owned(p, () => '', 0o400), source: { read: () => '', readAt: (pos, max) => pagemapRead(p, pos, max) } }),
      exe: () => (alive ? this.exe(p) : null),
      cwd: () => (alive ? { kind: 'link', target: p.cwd } : null),
      root: () => (alive ? { kind: 'link', target: p.root } : null),
      fd: () => fdDir(p),
      fdinfo: () => fdinfoDir(p),
      mounts: () => this.owned(p, () => system.mountsText(sys.fs.space.figures)),
      mountinfo: () => this.owned(p, () => system.mountinfoText(sys.fs.space.figures)),
      oom_score_adj: () => oomFile(p, (v) => v, (v) => v, -1000, 1000),
      oom_adj: () => oomFile(p, (v) => (v === 1000 ? 15 : Math.trunc((v * 17) / 1000)), (v) => (v === 15 ? 1000 : Math.trunc((v * 1000) / 17)), -17, 15),
      oom_score: () => this.owned(p, () => `${oomScore(sys, p)}\n`),
      wchan: () => this.owned(p, () => '0'),
      ns: () => nsDir(sys, p),
      timerslack_ns: () => timerslackFile(sys, p, t),
      timens_offsets: () => timensOffsetsFile(sys, p),
    };
    if (!t) children.task = () => this.taskDir(p);
    const dir = procDir(children);
    return dir.kind === 'dir' ? { ...dir, uid: p.creds.euid, gid: p.creds.egid, process: t ? undefined : p } : dir;
  }

  private taskDir(p: LinuxProcess): ProcEntry {
    const byTid = (n: string): LinuxThread | undefined => [...p.threads].find((t) => String(t.tid) === n);
    return {
      kind: 'dir',
      perm: 0o555,
      names: () => [...p.threads].map((t) => String(t.tid)),
      child: (n) => {
        const t = byTid(n);
        return t ? this.processDir(p, t) : null;
      },
    };
  }

  root(): ProcEntry {
    const sys = this.sys;
    const fixed: Record<string, () => ProcEntry | null> = {
      meminfo: () => procFile(() => system.meminfoText(sys)),
      cpuinfo: () => procFile(() => system.cpuinfoText(sys)),
      uptime: () => procFile(() => system.uptimeText(sys)),
      loadavg: () => procFile(() => system.loadavgText(sys)),
      stat: () => procFile(() => system.statText(sys)),
      version: () => procFile(system.versionText),
      filesystems: () => procFile(system.filesystemsText),
      cmdline: () => procFile(system.cmdlineText),
      swaps: () => procFile(system.swapsText),
      mounts: () => ({ kind: 'link', target: 'self/mounts' }),
      self: () => (sys.currentProcess ? { kind: 'link', target: String(sys.currentProcess.pid) } : null),
      sys: () => procSysDir(sys),
      sysvipc: () => sysvipcDir(sys),
    };
    return {
      kind: 'dir',
      perm: 0o555,
      names: () => [...Object.keys(fixed), ...(isInit(sys, INIT_PID) ? [String(INIT_PID)] : []), ...[...sys.processes.keys()].map(String)],
      child: (n) => {
        if (Object.hasOwn(fixed, n)) return fixed[n]();
        const p = /^\d+$/.test(n) ? sys.processes.get(Number(n)) : undefined;
        if (p) return this.processDir(p);
        // A thread's directory is reachable by its tid, though not listed (as on Linux).
        const t = /^\d+$/.test(n) ? sys.threads.get(Number(n)) : undefined;
        if (!t && n === String(INIT_PID) && isInit(sys, INIT_PID)) return initProcDir();
        return t ? this.processDir(t.proc, t) : null;
      },
    };
  }
}
