/* suspend-self: the only thread suspends itself; nothing can ever resume it. */
#include <salty-ipc.h>

int salty_main(const struct salty_boot_info *bi) {
  salty_puts("suspending the only thread\n");
  salty_thread_suspend(bi->thread_slot);
  salty_puts("resumed?!\n");
  return 0;
}
