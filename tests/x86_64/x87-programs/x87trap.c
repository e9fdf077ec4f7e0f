/* An unmasked x87 exception: division by zero with ZM cleared raises #MF at
 * the next x87 instruction, which Linux delivers as SIGFPE with
 * si_code FPE_FLTDIV; the handler reports it and the status word's flags. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void handler(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  unsigned short sw;
  __asm__ volatile("fnstsw %0" : "=m"(sw));
  char buf[80];
  int n = snprintf(buf, sizeof buf, "signal %d code %d sw-flags %#x\n", sig, si->si_code, sw & 0x3f);
  write(1, buf, n);
  _exit(0);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGFPE, &sa, 0);
  unsigned short cw;
  __asm__ volatile("fnstcw %0" : "=m"(cw));
  cw &= ~0x4; /* unmask ZE */
  __asm__ volatile("fldcw %0" : : "m"(cw));
  volatile long double one = 1.0L, zero = 0.0L, r;
  printf("dividing\n");
  fflush(stdout);
  r = one / zero;
  r = r + 1.0L;
  printf("not reached %Lf\n", r);
  return 1;
}
