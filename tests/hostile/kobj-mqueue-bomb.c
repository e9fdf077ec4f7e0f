/* POSIX message queue bomb, as root with RLIMIT_MSGQUEUE lifted (CAP_SYS_RESOURCE
 * passes msgsize_max and queues_max, up to Linux's hard limits):
 *   "m" (default): queues of 64 messages of 1 MiB, filled from untouched guest
 *       pages, until refused: each message's text waits on the host until it is
 *       received (uncharged: 12 GB under -m 256M in 40 s);
 *   "q": empty queues with 190-byte names, opened and closed, until refused (a
 *       queue outlives its descriptors until mq_unlink);
 *   "b": one full queue of one 16 MiB message, then children that each block
 *       sending another 16 MiB into it, with a 2 s timeout (a blocked sender
 *       held its copy of the message on the host).
 * Prints how far it got and the errno that stopped it. */
#include "kobj-rt.h"

#if defined(__x86_64__)
#define NR_MQ_OPEN 240
#define NR_MQ_TIMEDSEND 242
#define NR_CLOCK_GETTIME 228
#else
#define NR_MQ_OPEN 180
#define NR_MQ_TIMEDSEND 182
#define NR_CLOCK_GETTIME 113
#endif
#define RLIMIT_MSGQUEUE 12
#define O_CREAT 0100
#define O_WRONLY 01

struct mq_attr { long flags, maxmsg, msgsize, curmsgs, reserved[4]; };
struct timespec { long sec, nsec; };

static char name[200];

/* name: 190 bytes, the first 12 spelling n. */
static void set_name(u64 n) {
    for (int i = 0; i < 190; i++) name[i] = 'q';
    for (int i = 0; i < 12; i++) { name[i] = (char)('a' + n % 26); n /= 26; }
    name[190] = 0;
}

static i64 mq_create(u64 n, long maxmsg, long msgsize) {
    struct mq_attr a = { 0, maxmsg, msgsize, 0, { 0 } };
    set_name(n);
    return sys6(NR_MQ_OPEN, (i64)name, O_CREAT | O_WRONLY | O_NONBLOCK, 0600, (i64)&a, 0, 0);
}

static void fill(void) {
    char *text = map_anon(1 << 20, MAP_PRIVATE | MAP_ANON);
    u64 queues = 0, messages = 0;
    for (;; queues++) {
        i64 q = mq_create(queues, 64, 1 << 20);
        if (q < 0) { put_result("queues made: ", queues, -q); break; }
        for (int k = 0; k < 64; k++) {
            i64 r = sys6(NR_MQ_TIMEDSEND, q, (i64)text, 1 << 20, 0, 0, 0);
            if (r < 0) { put_result("messages of 1 MiB queued: ", messages, -r); return; }
            messages++;
        }
        sys3(NR_CLOSE, q, 0, 0);
    }
}

static void empty_queues(void) {
    u64 n = 0;
    i64 q;
    for (;; n++) {
        q = mq_create(n, 1, 1);
        if (q < 0) break;
        sys3(NR_CLOSE, q, 0, 0);
    }
    put_result("empty queues made: ", n, -q);
}

static void blocked_senders(u64 children) {
    char *text = map_anon(16 << 20, MAP_PRIVATE | MAP_ANON);
    i64 q = mq_create(0, 1, 16 << 20);
    if (q < 0) { put_result("mq_open: ", 0, -q); return; }
    i64 r = sys6(NR_MQ_TIMEDSEND, q, (i64)text, 16 << 20, 0, 0, 0);
    if (r < 0) { put_result("first send: ", 0, -r); return; }
    /* Blocking from here: O_NONBLOCK off. */
    sys3(NR_CLOSE, q, 0, 0);
    struct mq_attr a = { 0, 1, 16 << 20, 0, { 0 } };
    set_name(0);
    q = sys6(NR_MQ_OPEN, (i64)name, O_WRONLY, 0, (i64)&a, 0, 0);
    struct timespec until;
    sys6(NR_CLOCK_GETTIME, 0 /* CLOCK_REALTIME */, (i64)&until, 0, 0, 0, 0);
    until.sec += 2;
    u64 n = 0;
    for (; n < children; n++) {
        i64 pid = sys6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
        if (pid < 0) break;
        if (pid == 0) {
            i64 s = sys6(NR_MQ_TIMEDSEND, q, (i64)text, 16 << 20, 0, (i64)&until, 0);
            exit_group(s == -110 /* ETIMEDOUT */ ? 0 : 1);
        }
    }
    u64 timedout = 0;
    for (u64 i = 0; i < n; i++) {
        int status = 0;
        if (sys6(NR_WAIT4, -1, (i64)&status, 0, 0, 0, 0) > 0 && status == 0) timedout++;
    }
    put_result("blocked senders: ", n, 0);
    put_result("timed out: ", timedout, 0);
}

int main(int argc, char **argv) {
    char kind = argc > 1 ? argv[1][0] : 'm';
    u64 lim[2] = { ~0ull, ~0ull };
    i64 r = sys6(NR_PRLIMIT64, 0, RLIMIT_MSGQUEUE, (i64)lim, 0, 0, 0);
    if (r < 0) { put_result("prlimit: ", 0, -r); return 1; }
    if (kind == 'q') empty_queues();
    else if (kind == 'b') blocked_senders(arg_or(argc, argv, 2, 400));
    else fill();
    return 0;
}
