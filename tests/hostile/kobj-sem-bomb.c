/* SysV semaphore bomb: sets of 32,000 semaphores (SEMMSL) until semget
 * refuses; the sets outlive the process, so they must be charged to guest
 * memory (ENOMEM) before SEMMNS's billion semaphores fill the host. */
#include "kobj-rt.h"

#define IPC_PRIVATE 0
#define IPC_CREAT 01000

int main(void) {
    u64 sets = 0;
    i64 err;
    for (;;) {
        i64 id = sys6(NR_SEMGET, IPC_PRIVATE, 32000, IPC_CREAT | 0600, 0, 0, 0);
        if (id < 0) { err = -id; break; }
        sets++;
    }
    put_result("semaphore sets made: ", sets, err);
    return 0;
}
