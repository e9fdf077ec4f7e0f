/* A Linux program whose system calls use svc #0x5a17, the native trap's
 * immediate: Linux ignores the immediate, so these are plain write and
 * exit_group calls (golden output from qemu-aarch64). No SaltyOS note. */
static long sys(long nr, long a, long b, long c) {
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x8 __asm__("x8") = nr;
  __asm__ volatile("svc #0x5a17" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
  return x0;
}

void _start(void) {
  static const char msg[] = "a Linux write through svc #0x5a17\n";
  long n = sys(64, 1, (long)msg, sizeof msg - 1);
  sys(94, n == sizeof msg - 1 ? 3 : 1, 0, 0);
  for (;;) {}
}
