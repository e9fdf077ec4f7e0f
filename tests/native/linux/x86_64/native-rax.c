/* A Linux program that executes the native trap of x86_64 (syscall with rax
 * 0x5a17): Linux has no system call of that number, so it answers -ENOSYS
 * and the program goes on (golden output from the host kernel). No SaltyOS note. */
static long sys(long nr, long a, long b, long c) {
  long rax = nr;
  __asm__ volatile("syscall" : "+a"(rax) : "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return rax;
}

void _start(void) {
  static const char enosys[] = "syscall with rax 0x5a17: -ENOSYS\n";
  static const char other[] = "syscall with rax 0x5a17: something else\n";
  long r = sys(0x5a17, 0, 0, 0);
  if (r == -38) sys(1, 1, (long)enosys, sizeof enosys - 1);
  else sys(1, 1, (long)other, sizeof other - 1);
  sys(231, r == -38 ? 3 : 1, 0, 0);
  for (;;) {}
}
