// POSIX message queues charged to guest memory: a queue lives on after its
// creator closes it and exits (until mq_unlink and its last close), and each
// message's text waits on the host until it is received, so both are kernel
// objects of the guest (kind posix-mqueue), as Linux charges a queue's inode
// and each message (load_msg, GFP_KERNEL_ACCOUNT) to the sender's memory
// cgroup. Without this, root (RLIMIT_MSGQUEUE lifted, CAP_SYS_RESOURCE past
// msgsize_max) filled the host with 16 MiB messages read from untouched
// guest pages: 12 GB under -m 256M in 40 s.

import { HOST_BYTES_FACTOR } from './kobj-charges';
import type { LinuxSystem } from './linux-system';

export const MQUEUE_CHARGE_KIND = 'posix-mqueue';

/** A queue: its record, name and namespace entry on the host (Linux's mqueue_inode_info with its inode, about 1 KiB). */
export const MQUEUE_QUEUE_BYTES = 2048;
/** struct msg_msg and its place in the priority tree. */
const MESSAGE_HEADER_BYTES = 64;

/** What a message of length bytes is charged: its text on the host, at HOST_BYTES_FACTOR as other buffers of guest bytes. */
export const mqMessageCharge = (length: number): number => HOST_BYTES_FACTOR * (length + MESSAGE_HEADER_BYTES);

const ledger = (sys: LinuxSystem) => sys.kernel.mm.kobjs;

/** Takes bytes for a queue or a message, keeping the reserve for user pages; false (nothing taken) when guest memory cannot hold them. */
export function chargeMqueue(sys: LinuxSystem, bytes: number): boolean {
  return ledger(sys).tryCharge(MQUEUE_CHARGE_KIND, bytes, undefined, true);
}

export function releaseMqueue(sys: LinuxSystem, bytes: number): void {
  ledger(sys).release(MQUEUE_CHARGE_KIND, bytes);
}
