/*
 * threads: two threads made by the program in its own capability space and
 * VSpace (so they share its memory), each with a stack MemoryObject of its
 * own. Every thread spins: only the timer's end of a slice lets another run.
 * The main thread waits until both workers have counted, tells them to stop,
 * and collects one message from each on an endpoint.
 */
#include <salty-ipc.h>

#define STACK_VA 0x5000000000UL
#define STACK_PAGES 4

static volatile salty_u64 count[2];
static volatile int stop;
static salty_slot ep, threads[2], stacks[2];

static void must(const char *what, salty_u64 e) {
  if (e == SALTY_OK) return;
  salty_puts(what);
  salty_puts(": ");
  salty_puts(salty_error_name(e));
  salty_puts("\n");
  salty_exit(1);
}

__attribute__((noreturn)) static void worker(salty_u64 i) {
  while (!stop) count[i]++;
  const salty_u64 w[4] = {i, count[i] > 0, 0, 0};
  /* With the words, a read-only copy of the capability to the worker's stack. */
  must("worker: send", salty_send(ep, w, stacks[i], SALTY_RIGHT_READ));
  salty_thread_exit(threads[i], 0);
  salty_undefined_instruction();
}

int salty_main(const struct salty_boot_info *bi) {
  salty_slot f = bi->first_free_slot;
  const salty_slot ut = bi->untypeds[0].slot;
  ep = f++;
  must("endpoint", salty_untyped_retype(ut, SALTY_TYPE_ENDPOINT, ep, 0));
  for (salty_u64 i = 0; i < 2; i++) {
    salty_slot stack = stacks[i] = f++;
    threads[i] = f++;
    salty_u64 va = STACK_VA + i * 0x100000UL;
    must("thread", salty_untyped_retype(ut, SALTY_TYPE_THREAD, threads[i], 0));
    must("stack", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, stack, STACK_PAGES));
    must("map stack", salty_vspace_map(bi->vspace_slot, stack, va, STACK_PAGES, 0, SALTY_PERM_R | SALTY_PERM_W));
    must("configure", salty_thread_configure(threads[i], bi->cspace_slot, bi->vspace_slot));
    must("registers", salty_thread_write_registers(threads[i], (salty_u64)worker, va + STACK_PAGES * SALTY_PAGE_SIZE, i, 0));
    must("resume", salty_thread_resume(threads[i]));
  }
  salty_puts("main: two workers started; spinning until both have counted\n");
  while (count[0] == 0 || count[1] == 0) {
  }
  stop = 1;
  salty_puts("main: both counted while main spun\n");
  int seen[2] = {0, 0}, caps = 0;
  for (int k = 0; k < 2; k++) {
    struct salty_msg m;
    salty_slot got = f++;
    must("receive", salty_receive(ep, got, &m));
    if (m.kind == SALTY_MSG_SEND && m.w[0] < 2 && m.w[1] == 1) seen[m.w[0]]++;
    /* The copy landed where asked and has read alone: a commit through it needs write. */
    if (m.cap_slot == got && salty_mo_commit(got, 0, 1, ut) == SALTY_E_INSUFFICIENT_RIGHTS) caps++;
  }
  salty_puts(seen[0] == 1 && seen[1] == 1 ? "main: a message from each worker\n" : "main: wrong messages!\n");
  salty_puts(caps == 2 ? "main: each carried a read-only copy of its stack capability\n" : "main: wrong capabilities!\n");
  return 0;
}
