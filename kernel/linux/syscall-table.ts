// Every implemented Linux syscall by number; numbers missing here answer ENOSYS.

import type { Syscall } from './syscall-context';
import { EVENT_SYSCALLS } from './sys-event';
import { FD_SYSCALLS } from './sys-fd';
import { FUTEX_SYSCALLS } from './sys-futex';
import { INFO_SYSCALLS } from './sys-info';
import { IO_SYSCALLS } from './sys-io';
import { MEMORY_SYSCALLS } from './sys-memory';
import { PATH_SYSCALLS } from './sys-path';
import { POLL_SYSCALLS } from './sys-poll';
import { PROCESS_SYSCALLS } from './sys-process';
import { SIGNAL_SYSCALLS } from './sys-signal';
import { SOCKET_SYSCALLS } from './sys-socket';
import { SOCKOPT_SYSCALLS } from './sys-sockopt';
import { TIME_SYSCALLS } from './sys-time';

export const SYSCALLS: ReadonlyMap<number, Syscall> = new Map<number, Syscall>([
  ...IO_SYSCALLS,
  ...FD_SYSCALLS,
  ...PATH_SYSCALLS,
  ...MEMORY_SYSCALLS,
  ...PROCESS_SYSCALLS,
  ...SIGNAL_SYSCALLS,
  ...TIME_SYSCALLS,
  ...POLL_SYSCALLS,
  ...FUTEX_SYSCALLS,
  ...INFO_SYSCALLS,
  ...EVENT_SYSCALLS,
  ...SOCKET_SYSCALLS,
  ...SOCKOPT_SYSCALLS,
]);
