/* deadlock: receives on an endpoint nobody else holds; the kernel ends the run. */
#include <salty-ipc.h>

int salty_main(const struct salty_boot_info *bi) {
  salty_slot ep = bi->first_free_slot;
  struct salty_msg m;
  salty_untyped_retype(bi->untypeds[0].slot, SALTY_TYPE_ENDPOINT, ep, 0);
  salty_puts("waiting for a message nobody can send\n");
  salty_receive(ep, SALTY_NO_SLOT, &m);
  salty_puts("received?!\n");
  return 0;
}
