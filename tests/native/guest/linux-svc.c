/* linux-svc: a Linux system call (svc #0, exit_group) from a native program: the kernel ends it with SIGSYS. */
#include <salty.h>

int salty_main(const struct salty_boot_info *bi) {
  (void)bi;
  salty_puts("before\n");
  register salty_u64 x0 __asm__("x0") = 7;
  register salty_u64 x8 __asm__("x8") = 94;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8) : "memory");
  salty_puts("after\n");
  return 0;
}
