// --strace argument counts for the IPC, notification, thread-control, pager and mint-from labels.

import { Label } from './native-labels';
import { registerStraceArgs } from './native-strace';

const COUNTS: ReadonlyArray<readonly [number, number]> = [
  [Label.memoryObjectSetPager, 2],
  [Label.cspaceMintFrom, 4],
  [Label.threadConfigure, 2],
  [Label.threadWriteRegisters, 4],
  [Label.threadResume, 0],
  [Label.threadSuspend, 0],
  [Label.threadJoin, 0],
  [Label.endpointSend, 6],
  [Label.endpointReceive, 1],
  [Label.endpointCall, 6],
  [Label.endpointReply, 4],
  [Label.endpointReplyReceive, 5],
  [Label.notificationSignal, 0],
  [Label.notificationWait, 0],
  [Label.notificationPoll, 0],
];

for (const [label, n] of COUNTS) registerStraceArgs(label, n);
