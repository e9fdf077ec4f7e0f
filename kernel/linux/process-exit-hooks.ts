// Work other parts of the Linux personality attach to the end of a process
// (after its threads ended, before its memory goes): System V semaphore
// undo (sys-sem.ts) registers here, so the kernel need not import a
// syscall file.

import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';

export const processExitHooks: ((sys: LinuxSystem, p: LinuxProcess) => void)[] = [];
