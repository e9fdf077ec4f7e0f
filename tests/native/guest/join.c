/*
 * join: a thread's exit ends only that thread; another waits for it with
 * join and gets its status (at once when it has ended already); a join on a
 * thread that ends without an exit (its thread object deleted) is cancelled.
 * Main then returns 3 while a last worker still runs: the process goes on
 * until that worker exits (with 7), and its status is main's, 3.
 */
#include <salty-ipc.h>

#define STACK_VA 0x5000000000UL
#define STACK_PAGES 2

static salty_slot next_slot, ep, ntfn;
static salty_slot threads[4];
static volatile int ready[4];

static void must(const char *what, salty_u64 e) {
  if (e == SALTY_OK) return;
  salty_puts(what);
  salty_puts(": ");
  salty_puts(salty_error_name(e));
  salty_puts("\n");
  salty_exit(1);
}

static void say(const char *what, salty_i64 n) {
  salty_puts(what);
  salty_put_dec(n);
  salty_puts("\n");
}

__attribute__((noreturn)) static void finish(salty_u64 i, salty_i64 status) {
  salty_thread_exit(threads[i], status);
  salty_undefined_instruction();
}

/* 0: exits with 42. */
__attribute__((noreturn)) static void forty_two(salty_u64 i) {
  finish(i, 42);
}

/* 1: waits on a notification nobody signals, until main deletes its thread object. */
__attribute__((noreturn)) static void sleeper(salty_u64 i) {
  salty_u64 word;
  ready[i] = 1;
  salty_wait(ntfn, &word);
  finish(i, 1);
}

/* 2: joins the sleeper and reports what its join answered. */
__attribute__((noreturn)) static void joiner(salty_u64 i) {
  salty_i64 status = -1;
  ready[i] = 1;
  salty_u64 e = salty_thread_join(threads[1], &status);
  const salty_u64 w[4] = {e, (salty_u64)status, 0, 0};
  must("joiner: send", salty_send(ep, w, SALTY_NO_SLOT, 0));
  finish(i, 0);
}

/* 3: outlives main, then exits with 7. */
__attribute__((noreturn)) static void late(salty_u64 i) {
  for (volatile int n = 0; n < 200000; n++) {}
  salty_puts("late worker: done after main returned\n");
  finish(i, 7);
}

static void start(const struct salty_boot_info *bi, int i, void (*fn)(salty_u64)) {
  salty_slot th = threads[i] = next_slot++, stack = next_slot++;
  salty_u64 va = STACK_VA + (salty_u64)i * 0x100000UL;
  must("retype thread", salty_untyped_retype(bi->untypeds[0].slot, SALTY_TYPE_THREAD, th, 0));
  must("retype stack", salty_untyped_retype(bi->untypeds[0].slot, SALTY_TYPE_MEMORY_OBJECT, stack, STACK_PAGES));
  must("map stack", salty_vspace_map(bi->vspace_slot, stack, va, STACK_PAGES, 0, SALTY_PERM_R | SALTY_PERM_W));
  must("configure", salty_thread_configure(th, bi->cspace_slot, bi->vspace_slot));
  must("registers", salty_thread_write_registers(th, (salty_u64)fn, va + STACK_PAGES * SALTY_PAGE_SIZE, (salty_u64)i, 0));
  must("resume", salty_thread_resume(th));
}

int salty_main(const struct salty_boot_info *bi) {
  next_slot = bi->first_free_slot;
  ep = next_slot++;
  ntfn = next_slot++;
  must("retype endpoint", salty_untyped_retype(bi->untypeds[0].slot, SALTY_TYPE_ENDPOINT, ep, 0));
  must("retype notification", salty_untyped_retype(bi->untypeds[0].slot, SALTY_TYPE_NOTIFICATION, ntfn, 0));
  salty_i64 status = 0;
  start(bi, 0, forty_two);
  must("join", salty_thread_join(threads[0], &status));
  say("main: joined a worker, its status ", status);
  status = 0;
  must("join again", salty_thread_join(threads[0], &status));
  say("main: joined it again, at once: ", status);
  salty_puts("main: join itself: ");
  salty_puts(salty_error_name(salty_thread_join(bi->thread_slot, &status)));
  salty_puts("\n");

  start(bi, 1, sleeper);
  start(bi, 2, joiner);
  while (!ready[1] || !ready[2]) {}
  must("delete the sleeper", salty_cspace_delete(bi->cspace_slot, threads[1]));
  struct salty_msg m;
  must("receive", salty_receive(ep, SALTY_NO_SLOT, &m));
  salty_puts("joiner: its join of the deleted sleeper: ");
  salty_puts(salty_error_name(m.w[0]));
  salty_puts("\n");

  start(bi, 3, late);
  salty_puts("main: returning 3 while a worker still runs\n");
  return 3;
}
