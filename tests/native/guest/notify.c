/*
 * notify: notifications and badges. Two worker threads each hold a badged
 * copy of one notification (badges 1 and 2) and of one endpoint (badges 0x100
 * and 0x200); main waits on the notification, receives on the endpoint and
 * tells the workers apart by the badges alone. A third worker waits on a
 * second notification that main deletes: its wait ends with "cancelled".
 */
#include <salty-ipc.h>

#define STACK_VA 0x5000000000UL
#define STACK_PAGES 2

static salty_slot next_slot;

static void must(const char *what, salty_u64 e) {
  if (e == SALTY_OK) return;
  salty_puts(what);
  salty_puts(": ");
  salty_puts(salty_error_name(e));
  salty_puts("\n");
  salty_exit(1);
}

static void say(const char *what, salty_u64 n) {
  salty_puts(what);
  salty_put_hex(n);
  salty_puts("\n");
}

/* Each worker's capabilities: a badged signal capability, a badged endpoint capability. */
struct job {
  salty_slot ntfn, ep, thread;
};
static struct job jobs[3];

__attribute__((noreturn)) static void signaller(salty_u64 i) {
  must("worker: signal", salty_signal(jobs[i].ntfn));
  const salty_u64 w[4] = {i, 0, 0, 0};
  must("worker: send", salty_send(jobs[i].ep, w, SALTY_NO_SLOT, 0));
  salty_thread_exit(jobs[i].thread, 0);
  salty_undefined_instruction();
}

/* Waits on a notification main deletes, then reports the error of the wait on the endpoint. */
static volatile int waiting;

__attribute__((noreturn)) static void waiter(salty_u64 i) {
  salty_u64 word = 0;
  waiting = 1;
  salty_u64 e = salty_wait(jobs[i].ntfn, &word);
  const salty_u64 w[4] = {i, e, word, 0};
  must("waiter: send", salty_send(jobs[i].ep, w, SALTY_NO_SLOT, 0));
  salty_thread_exit(jobs[i].thread, 0);
  salty_undefined_instruction();
}

static salty_slot start(const struct salty_boot_info *bi, int i, void (*fn)(salty_u64)) {
  salty_slot th = next_slot++, stack = next_slot++;
  salty_u64 va = STACK_VA + (salty_u64)i * 0x100000UL;
  must("retype thread", salty_untyped_retype(bi->untypeds[0].slot, SALTY_TYPE_THREAD, th, 0));
  must("retype stack", salty_untyped_retype(bi->untypeds[0].slot, SALTY_TYPE_MEMORY_OBJECT, stack, STACK_PAGES));
  must("map stack", salty_vspace_map(bi->vspace_slot, stack, va, STACK_PAGES, 0, SALTY_PERM_R | SALTY_PERM_W));
  must("configure", salty_thread_configure(th, bi->cspace_slot, bi->vspace_slot));
  must("registers", salty_thread_write_registers(th, (salty_u64)fn, va + STACK_PAGES * SALTY_PAGE_SIZE, (salty_u64)i, 0));
  jobs[i].thread = th;
  must("resume", salty_thread_resume(th));
  return th;
}

int salty_main(const struct salty_boot_info *bi) {
  const salty_slot cs = bi->cspace_slot, ut = bi->untypeds[0].slot;
  next_slot = bi->first_free_slot;
  const salty_slot ntfn = next_slot++, ep = next_slot++, doomed = next_slot++;
  must("retype notification", salty_untyped_retype(ut, SALTY_TYPE_NOTIFICATION, ntfn, 0));
  must("retype endpoint", salty_untyped_retype(ut, SALTY_TYPE_ENDPOINT, ep, 0));
  must("retype notification", salty_untyped_retype(ut, SALTY_TYPE_NOTIFICATION, doomed, 0));
  for (int i = 0; i < 3; i++) {
    jobs[i].ntfn = next_slot++;
    jobs[i].ep = next_slot++;
    must("mint signal", salty_cspace_mint_badged(cs, i < 2 ? ntfn : doomed, jobs[i].ntfn, SALTY_RIGHT_READ | SALTY_RIGHT_WRITE, 1UL << i));
    must("mint endpoint", salty_cspace_mint_badged(cs, ep, jobs[i].ep, SALTY_RIGHT_WRITE, 0x100UL << i));
  }

  /* Signals with nobody waiting accumulate in the word: a poll takes it all. */
  salty_u64 word = 0;
  must("poll", salty_poll(ntfn, &word));
  say("poll before any signal: ", word);
  must("signal", salty_signal(jobs[0].ntfn));
  must("signal", salty_signal(jobs[1].ntfn));
  must("signal", salty_signal(jobs[1].ntfn));
  must("poll", salty_poll(ntfn, &word));
  say("poll after signals with badges 1, 2, 2: ", word);
  must("poll", salty_poll(ntfn, &word));
  say("poll again: ", word);

  /* Workers signal while main waits: every bit arrives, whatever the interleaving. */
  start(bi, 0, signaller);
  start(bi, 1, signaller);
  salty_u64 seen = 0;
  int waits = 0;
  while (seen != 3) {
    must("wait", salty_wait(ntfn, &word));
    seen |= word;
    waits++;
  }
  say("main: both workers signalled, bits ", seen);
  struct salty_msg m;
  salty_u64 badges = 0;
  for (int i = 0; i < 2; i++) {
    must("receive", salty_receive(ep, SALTY_NO_SLOT, &m));
    if (m.badge != 0x100UL << m.w[0]) say("main: a message with the wrong badge: ", m.badge);
    badges |= m.badge;
  }
  say("main: endpoint badges seen ", badges);

  /* A wait that its notification's deletion cancels. */
  start(bi, 2, waiter);
  must("poll", salty_poll(ep, &word) == SALTY_E_ILLEGAL_LABEL ? SALTY_OK : 1);
  /* Spin until the waiter runs: only the end of main's slice lets it, and it blocks in its wait right after the flag. */
  while (!waiting) {}
  must("delete the notification", salty_cspace_delete(cs, doomed));
  must("delete its badged copy", salty_cspace_delete(cs, jobs[2].ntfn));
  must("receive", salty_receive(ep, SALTY_NO_SLOT, &m));
  salty_puts("waiter: its wait ended with: ");
  salty_puts(salty_error_name(m.w[1]));
  salty_puts("\n");
  say("waiter's badge: ", m.badge);
  return 0;
}
