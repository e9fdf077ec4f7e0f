// The /proc files of System V IPC: /proc/sysvipc/{shm,sem,msg} (one line per
// object, in Linux's columns) and the limits under /proc/sys/kernel. The
// limits are Linux's defaults and read-only here (writes do not change them).

import type { LinuxSystem } from './linux-system';
import { procDir, procFile, type ProcEntry } from './proc-fs';
import { msgRows } from './sys-msg';
import { semRows } from './sys-sem';
import { SHMMNI, shmRows } from './sys-shm';

type Column = readonly [sep: string, width: number, octal?: boolean];

const pad = (x: number | string, width: number, octal = false): string => (typeof x === 'number' && octal ? x.toString(8) : String(x)).padStart(width);

function table(header: string, columns: readonly Column[], rows: readonly (number | string)[][]): string {
  const lines = rows.map((r) => columns.map(([sep, width, octal], i) => sep + pad(r[i], width, octal)).join('') + '\n');
  return header + '\n' + lines.join('');
}

const SHM_COLUMNS: Column[] = [['', 10], [' ', 10], ['  ', 4, true], [' ', 21], [' ', 5], [' ', 5], ['  ', 5], [' ', 5], [' ', 5], [' ', 5], [' ', 5], [' ', 10], [' ', 10], [' ', 10], [' ', 21], [' ', 21]];
const SEM_COLUMNS: Column[] = [['', 10], [' ', 10], ['  ', 4, true], [' ', 10], [' ', 5], [' ', 5], [' ', 5], [' ', 5], [' ', 10], [' ', 10]];
const MSG_COLUMNS: Column[] = [['', 10], [' ', 10], ['  ', 4, true], ['  ', 10], [' ', 10], [' ', 5], [' ', 5], [' ', 5], [' ', 5], [' ', 5], [' ', 5], [' ', 10], [' ', 10], [' ', 10]];

const SHM_HEADER = '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap';
const SEM_HEADER = '       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime';
const MSG_HEADER = '       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime';

/** Linux's defaults, as /proc/sys/kernel shows them (SHMMAX and SHMALL are ULONG_MAX - 2^24, exactly). */
const LIMITS: Record<string, string> = {
  shmmax: '18446744073692774399',
  shmall: '18446744073692774399',
  shmmni: String(SHMMNI),
  msgmax: '8192',
  msgmnb: '16384',
  msgmni: '32000',
  sem: '32000\t1024000000\t500\t32000',
};

/** /proc/sysvipc: one table per IPC kind. */
export function sysvipcDir(sys: LinuxSystem): ProcEntry {
  const file = (name: string) => () => procFile(() => sysvipcProcFile(sys, `/proc/sysvipc/${name}`) ?? '');
  return procDir({ shm: file('shm'), sem: file('sem'), msg: file('msg') });
}

/** The IPC limits' files of /proc/sys/kernel. */
export function ipcLimitFiles(): Record<string, () => ProcEntry> {
  return Object.fromEntries(Object.keys(LIMITS).map((name) => [name, () => procFile(() => `${LIMITS[name]}\n`)]));
}

/** The text of an IPC /proc file, or undefined when path is not one. */
export function sysvipcProcFile(sys: LinuxSystem, path: string): string | undefined {
  switch (path) {
    case '/proc/sysvipc/shm':
      return table(SHM_HEADER, SHM_COLUMNS, shmRows(sys));
    case '/proc/sysvipc/sem':
      return table(SEM_HEADER, SEM_COLUMNS, semRows(sys));
    case '/proc/sysvipc/msg':
      return table(MSG_HEADER, MSG_COLUMNS, msgRows(sys));
  }
  const name = path.startsWith('/proc/sys/kernel/') ? path.slice('/proc/sys/kernel/'.length) : '';
  return LIMITS[name] !== undefined ? LIMITS[name] + '\n' : undefined;
}
