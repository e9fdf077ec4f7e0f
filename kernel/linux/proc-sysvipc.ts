// The /proc files of System V IPC: /proc/sysvipc/{shm,sem,msg} (one line per
// object, in Linux's columns) and the limits under /proc/sys/kernel. The
// limits are Linux's defaults; root may change the number of objects of a
// kind (msgmni, shmmni) and the id the next one gets (*_next_id).

import type { LinuxSystem } from './linux-system';
import { procDir, procFile, type ProcEntry } from './proc-fs';
import { EINVAL } from './errno';
import type { IpcObject, IpcTable } from './ipc-ids';
import { msgRows, msgTable } from './sys-msg';
import { semRows, semTable } from './sys-sem';
import { shmLimits, shmRows, shmTable, type ShmLimits } from './sys-shm';

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
  msgmax: '8192',
  msgmnb: '16384',
  sem: '32000\t1024000000\t500\t32000',
};

/** /proc/sysvipc: one table per IPC kind. */
export function sysvipcDir(sys: LinuxSystem): ProcEntry {
  const file = (name: string) => () => procFile(() => sysvipcProcFile(sys, `/proc/sysvipc/${name}`) ?? '');
  return procDir({ shm: file('shm'), sem: file('sem'), msg: file('msg') });
}

/** IPCMNI: the most objects of a kind, and the bound of msgmni and shmmni. */
const IPCMNI = 32768;

/** A writable integer of a table, checked as proc_dointvec_minmax does. */
function tableInt(get: () => number, set: (v: number) => void, min: number, max: number): ProcEntry {
  const write = (text: string): number => {
    const m = /^\s*([-+]?\d+)\s*$/.exec(text);
    const v = m ? Number(m[1]) : NaN;
    if (!(v >= min && v <= max)) return -EINVAL;
    set(v);
    return text.length;
  };
  return { kind: 'file', perm: 0o644, source: { sysctl: true, read: () => `${get()}\n`, write } };
}

const limitOf = <T extends IpcObject>(t: () => IpcTable<T>): ProcEntry => tableInt(() => t().limit, (v) => (t().limit = v), 0, IPCMNI);
const nextIdOf = <T extends IpcObject>(t: () => IpcTable<T>): ProcEntry => tableInt(() => t().nextId, (v) => (t().nextId = v), -1, 2 ** 31 - 1);

/** shmmax and shmall: unsigned longs (proc_doulongvec_minmax), kept as text since they may pass 2^53. */
function shmLimitFile(sys: LinuxSystem, key: keyof ShmLimits): ProcEntry {
  const write = (text: string): number => {
    const m = /^\s*\+?(\d+)\s*$/.exec(text);
    if (!m || BigInt(m[1]) >= 2n ** 64n) return -EINVAL;
    shmLimits(sys)[key] = BigInt(m[1]).toString();
    return text.length;
  };
  return { kind: 'file', perm: 0o644, source: { sysctl: true, read: () => `${shmLimits(sys)[key]}\n`, write } };
}

/** The IPC limits' files of /proc/sys/kernel. */
export function ipcLimitFiles(sys: LinuxSystem): Record<string, () => ProcEntry> {
  const fixed = Object.fromEntries(Object.keys(LIMITS).map((name) => [name, () => procFile(() => `${LIMITS[name]}\n`)]));
  const msg = () => msgTable(sys);
  const shm = () => shmTable(sys);
  const sem = () => semTable(sys);
  return { ...fixed, shmmax: () => shmLimitFile(sys, 'shmmax'), shmall: () => shmLimitFile(sys, 'shmall'), msgmni: () => limitOf(msg), shmmni: () => limitOf(shm), msg_next_id: () => nextIdOf(msg), shm_next_id: () => nextIdOf(shm), sem_next_id: () => nextIdOf(sem) };
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
  if (name === 'msgmni') return `${msgTable(sys).limit}\n`;
  if (name === 'shmmni') return `${shmTable(sys).limit}\n`;
  if (name === 'shmmax' || name === 'shmall') return `${shmLimits(sys)[name]}\n`;
  return LIMITS[name] !== undefined ? LIMITS[name] + '\n' : undefined;
}
