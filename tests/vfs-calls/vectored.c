// preadv, pwritev, preadv2, pwritev2: positioned vectored I/O, the offset -1
// of the *2 calls, RWF_APPEND, and the errors in Linux's order.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static void say(const char *what, long r) {
  if (r < 0) printf("%s = -1 %s\n", what, strerrorname_np(errno));
  else printf("%s = %ld\n", what, r);
}

int main(void) {
  char dir[] = "/tmp/vectored-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) < 0) return 1;
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  char a[] = "hello ", b[] = "vectored world";
  struct iovec w[2] = {{a, 6}, {b, 14}};
  say("pwritev at 4", pwritev(fd, w, 2, 4));
  say("offset after pwritev", lseek(fd, 0, SEEK_CUR));
  char x[8] = {0}, y[32] = {0};
  struct iovec r[2] = {{x, 7}, {y, sizeof y}};
  say("preadv at 0", preadv(fd, r, 2, 0));
  printf("x [%d %d %d %d %c%c%c] y [%s]\n", x[0], x[1], x[2], x[3], x[4], x[5], x[6], y);
  say("preadv2 at -1 (file offset)", preadv2(fd, r, 2, -1, 0));
  say("offset after preadv2 -1", lseek(fd, 0, SEEK_CUR));
  lseek(fd, 2, SEEK_SET);
  memset(x, 0, sizeof x);
  say("preadv2 -1 from 2", preadv2(fd, r, 1, -1, RWF_HIPRI));
  printf("x [%.7s] offset %ld\n", x + 2, (long)lseek(fd, 0, SEEK_CUR));
  struct iovec t[1] = {{"END", 3}};
  say("pwritev2 RWF_APPEND at 0", pwritev2(fd, t, 1, 0, RWF_APPEND));
  say("size", lseek(fd, 0, SEEK_END));
  say("pwritev2 -1 (file offset)", pwritev2(fd, t, 1, -1, 0));
  say("size", lseek(fd, 0, SEEK_END));
  // The errors.
  say("preadv negative offset", preadv(fd, r, 1, -5));
  say("preadv2 offset -2", preadv2(fd, r, 1, -2, 0));
  say("preadv iovcnt -1", preadv(fd, r, -1, 0));
  say("preadv iovcnt 1025", preadv(fd, r, 1025, 0));
  struct iovec bad[1] = {{(void *)8, 4}};
  say("preadv bad base", preadv(fd, bad, 1, 0));
  say("preadv bad iov array", syscall(SYS_preadv, fd, (void *)8, 1, 0, 0));
  say("preadv2 unknown flag", preadv2(fd, r, 1, 0, 0x10000));
  say("pwritev2 unknown flag", pwritev2(fd, t, 1, 0, -1));
  say("preadv closed fd", preadv(99, r, 1, 0));
  int ro = open("f", O_RDONLY);
  say("pwritev read-only fd", pwritev(ro, t, 1, 0));
  int wo = open("f", O_WRONLY);
  say("preadv write-only fd", preadv(wo, r, 1, 0));
  int d = open(".", O_RDONLY);
  say("preadv directory", preadv(d, r, 1, 0));
  int p[2];
  pipe(p);
  say("preadv pipe", preadv(p[0], r, 1, 0));
  say("pwritev pipe", pwritev(p[1], t, 1, 0));
  say("pwritev2 pipe at -1", pwritev2(p[1], t, 1, -1, 0));
  say("preadv2 pipe at -1", preadv2(p[0], r, 1, -1, 0));
  say("preadv2 pipe at 0", preadv2(p[0], r, 1, 0, 0));
  unlink("f");
  chdir("/");
  rmdir(dir);
  return 0;
}
