/* SysV message queue bomb: msgget until refused, filling each queue with
 * 8000-byte messages (IPC_NOWAIT) until it is full; the queues outlive the
 * process, so what they hold must be charged to guest memory (ENOMEM when it
 * is spent) rather than grow the host. Prints the queues and messages made
 * and the errno that stopped msgget. */
#include "kobj-rt.h"

#define IPC_PRIVATE 0
#define IPC_CREAT 01000
#define IPC_NOWAIT 04000
#define TEXT 8000

static struct { i64 type; char text[TEXT]; } msg;

int main(void) {
    msg.type = 1;
    for (int i = 0; i < TEXT; i++) msg.text[i] = (char)i;
    u64 queues = 0, messages = 0;
    i64 err;
    for (;;) {
        i64 q = sys6(NR_MSGGET, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0, 0);
        if (q < 0) { err = -q; break; }
        queues++;
        while (sys6(NR_MSGSND, q, (i64)&msg, TEXT, IPC_NOWAIT, 0, 0) == 0) messages++;
    }
    put_result("queues made: ", queues, err);
    put_result("messages queued: ", messages, 0);
    return 0;
}
