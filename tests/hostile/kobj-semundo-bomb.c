/* SEM_UNDO bomb: one set of 32,000 semaphores (SEMMSL), then children that
 * each raise one with SEM_UNDO and sleep: every (process, set) pair holds an
 * undo array of the whole set's size (Linux's struct sem_undo, a short a
 * semaphore), so a few thousand children hold far more than the set itself.
 * Prints how many children got their undo, and the errno that stopped them. */
#include "kobj-rt.h"

#define IPC_PRIVATE 0
#define IPC_CREAT 01000
#define SEM_UNDO 0x1000

struct sembuf { unsigned short num; short op; short flg; };

int main(int argc, char **argv) {
    u64 max = arg_or(argc, argv, 1, 1900), n = 0;
    i64 id = sys6(NR_SEMGET, IPC_PRIVATE, 32000, IPC_CREAT | 0600, 0, 0, 0);
    if (id < 0) { put_result("semget: ", 0, -id); return 1; }
    int pipefd[2];
    sys6(NR_PIPE2, (i64)pipefd, 0, 0, 0, 0, 0);
    i64 err = 0;
    for (; n < max; n++) {
        i64 pid = sys6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
        if (pid < 0) { err = -pid; break; }
        if (pid == 0) {
            struct sembuf op = { (unsigned short)(n % 32000), 1, SEM_UNDO };
            i64 r = sys6(NR_SEMOP, id, (i64)&op, 1, 0, 0, 0);
            char b = r < 0 ? (char)-r : 0;
            sys3(NR_WRITE, pipefd[1], (i64)&b, 1);
            if (r < 0) exit_group(1);
            sleep_forever();
        }
        char b;
        sys3(NR_READ, pipefd[0], (i64)&b, 1);
        if (b) { err = b; break; }
    }
    put_result("children holding an undo: ", n, err);
    return 0;
}
