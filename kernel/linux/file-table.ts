// The system-wide file table, as Linux's fs.file-max bounds it: every open
// file description a descriptor names counts (once, however many descriptors
// and processes share it) until its last close; one more past file-max is
// refused with ENFILE unless the caller has CAP_SYS_ADMIN (Linux's
// alloc_empty_file). fs.file-nr shows the count.

import { fileTableGate } from '../vfs/fd-table';
import { lastCloseHooks, type OpenFile } from '../vfs/open-file';
import { CAP_SYS_ADMIN } from './credentials';
import type { LinuxSystem } from './linux-system';
import { fileMax } from './proc-sys';

const ENFILE = 23;

interface Count {
  n: number;
}

const counts = new WeakMap<LinuxSystem, Count>();
const counted = new WeakMap<OpenFile, Count>();

lastCloseHooks.push((file) => {
  const c = counted.get(file);
  if (!c) return;
  c.n--;
  counted.delete(file);
});

/** Open file descriptions counted now (fs.file-nr's first figure). */
export function openFiles(sys: LinuxSystem): number {
  return counts.get(sys)?.n ?? 0;
}

/** Starts counting sys's open files (the descriptors made from now on). */
export function enableFileTable(sys: LinuxSystem): void {
  const c: Count = { n: 0 };
  counts.set(sys, c);
  fileTableGate.check = (file, mayRefuse) => {
    if (counted.has(file)) return 0;
    if (mayRefuse && c.n >= fileMax(sys) && !sys.currentProcess?.creds.capable(CAP_SYS_ADMIN)) return -ENFILE;
    counted.set(file, c);
    c.n++;
    return 0;
  };
}
