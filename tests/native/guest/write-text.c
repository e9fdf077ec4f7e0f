/* write-text: a store into the program's own read-only text: an unresolved fault that ends it with SIGSEGV. */
#include <salty.h>

int salty_main(const struct salty_boot_info *bi) {
  salty_puts("before\n");
  *(volatile unsigned char *)bi->segments[0].va = 0;
  salty_puts("after\n");
  return 0;
}
