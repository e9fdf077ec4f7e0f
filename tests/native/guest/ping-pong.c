/*
 * ping-pong: a server thread answers calls in a reply-receive loop; the main
 * thread calls it ROUNDS times, each reply carrying the request word plus 1.
 * --stats then gives the cost of a call and its reply (two traps each way).
 */
#include <salty-ipc.h>

#define ROUNDS 2000
#define STACK_VA 0x5000000000UL

static salty_slot ep;

__attribute__((noreturn)) static void server(salty_u64 unused) {
  (void)unused;
  struct salty_msg m = {0};
  salty_receive(ep, SALTY_NO_SLOT, &m);
  for (;;) {
    const salty_u64 w[4] = {m.w[0] + 1, 0, 0, 0};
    salty_reply_receive(ep, w, SALTY_NO_SLOT, &m);
  }
}

int salty_main(const struct salty_boot_info *bi) {
  salty_slot f = bi->first_free_slot, ut = bi->untypeds[0].slot;
  salty_slot th = f++, stack = f++;
  ep = f++;
  salty_untyped_retype(ut, SALTY_TYPE_ENDPOINT, ep, 0);
  salty_untyped_retype(ut, SALTY_TYPE_THREAD, th, 0);
  salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, stack, 2);
  salty_vspace_map(bi->vspace_slot, stack, STACK_VA, 2, 0, SALTY_PERM_R | SALTY_PERM_W);
  salty_thread_configure(th, bi->cspace_slot, bi->vspace_slot);
  salty_thread_write_registers(th, (salty_u64)server, STACK_VA + 2 * SALTY_PAGE_SIZE, 0, 0);
  salty_thread_resume(th);
  salty_u64 x = 0, bad = 0;
  for (int i = 0; i < ROUNDS; i++) {
    const salty_u64 w[4] = {x, 0, 0, 0};
    struct salty_msg r = {0};
    if (salty_call(ep, w, SALTY_NO_SLOT, 0, &r) != SALTY_OK || r.w[0] != x + 1) bad++;
    x = r.w[0];
  }
  /* The server waits in its receive for ever: delete its thread, or the process never ends. */
  salty_cspace_delete(bi->cspace_slot, th);
  salty_puts(bad == 0 && x == ROUNDS ? "ping-pong: 2000 round trips, every reply right\n" : "ping-pong: wrong replies!\n");
  return 0;
}
