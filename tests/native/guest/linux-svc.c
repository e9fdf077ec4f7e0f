/* linux-svc: a Linux system call (exit_group: svc #0 on aarch64, syscall with rax 231 on x86_64) from a native program: the kernel ends it with SIGSYS. */
#include <salty.h>

int salty_main(const struct salty_boot_info *bi) {
  (void)bi;
  salty_puts("before\n");
#if defined(__aarch64__)
  register salty_u64 x0 __asm__("x0") = 7;
  register salty_u64 x8 __asm__("x8") = 94;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8) : "memory");
#else
  salty_u64 rax = 231;
  __asm__ volatile("syscall" : "+a"(rax) : "D"(7UL) : "rcx", "r11", "memory");
#endif
  salty_puts("after\n");
  return 0;
}
