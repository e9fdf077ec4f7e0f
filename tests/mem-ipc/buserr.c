// A file mapping past the file's end: SIGBUS (BUS_ADRERR at the address)
// on touch, for shared and private mappings, also after an ftruncate that
// shrinks the file under an untouched mapping; a syscall given such an
// address gets EFAULT. Futex keys: a shared futex word must be readable
// (EFAULT for unmapped, PROT_NONE and past-EOF words), a private one is only
// an address; a misaligned word is EINVAL.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int signo, code;
static volatile void *addr;

static void handler(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  signo = sig;
  code = si->si_code;
  addr = si->si_addr;
  siglongjmp(env, 1);
}

static void touch(const char *what, volatile char *p, int write) {
  signo = 0;
  if (sigsetjmp(env, 1) == 0) {
    if (write) *p = 1;
    else (void)*p;
  }
  printf("%-36s signal %d code %d at the address %d\n", what, signo, code, signo ? addr == p : 0);
}

static long futex(void *uaddr, int op, int val) {
  long r = syscall(SYS_futex, uaddr, op, val, 0, 0, 0);
  return r < 0 ? -errno : r;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGBUS, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);
  long ps = sysconf(_SC_PAGESIZE);
  int fd = open("/tmp/buserr.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
  unlink("/tmp/buserr.tmp");
  ftruncate(fd, ps / 2);
  char *s = mmap(0, 3 * ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *p = mmap(0, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  touch("shared, in the last page", s + ps / 2 + 10, 1);
  touch("shared, page past the end", s + ps + 1, 1);
  touch("shared, read two pages past", s + 2 * ps, 0);
  touch("private, in the last page", p + 100, 0);
  touch("private, page past the end (read)", p + ps, 0);
  touch("private, page past the end (write)", p + ps + 8, 1);
  ftruncate(fd, 3 * ps);
  touch("shared, after growing the file", s + 2 * ps, 1);
  char *t = mmap(0, 2 * ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, ps);
  ftruncate(fd, ps);
  touch("offset mapping, after shrinking", t, 0);
  int r = write(1, s + 2 * ps, 1);
  printf("write from past the end: %d %s\n", r, r < 0 ? strerror(errno) : "");
  touch("unmapped", (char *)8, 0);
  printf("signal on SIGSEGV %d\n", signo);

  char *none = mmap(0, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *gone = mmap(0, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(gone, ps);
  printf("futex wake, unmapped: %ld\n", futex(gone, FUTEX_WAKE, 1));
  printf("futex wake private, unmapped: %ld\n", futex(gone, FUTEX_WAKE_PRIVATE, 1));
  printf("futex wake, PROT_NONE: %ld\n", futex(none, FUTEX_WAKE, 1));
  printf("futex wake, past the end: %ld\n", futex(s + 2 * ps, FUTEX_WAKE, 1));
  printf("futex wake, misaligned: %ld\n", futex(s + 1, FUTEX_WAKE, 1));
  printf("futex wake, misaligned private: %ld\n", futex(s + 1, FUTEX_WAKE_PRIVATE, 1));
  printf("futex op 99, misaligned: %ld\n", futex(s + 1, 99, 1));
  int word = 0;
  printf("futex wake, mapped: %ld\n", futex(&word, FUTEX_WAKE, 1));
  return 0;
}
