// A shared file mapping and the file's read(2)/write(2) see each other at
// once (one page cache): a write lands in the mapped page, a store through
// the mapping is what a read returns, also through a second mapping and
// after fork; msync's checks (EINVAL, ENOMEM, EBUSY for MS_INVALIDATE on a
// locked mapping).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define T(x) ({ long r_ = (long)(x); int e_ = errno; printf("%-48s -> %ld %s\n", #x, r_, r_ < 0 ? strerror(e_) : ""); r_; })

int main(void) {
  long ps = sysconf(_SC_PAGESIZE);
  int fd = open("/tmp/mapsync.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
  unlink("/tmp/mapsync.tmp");
  char page[8192];
  memset(page, 'a', sizeof page);
  write(fd, page, 2 * ps);
  char *m = mmap(0, 2 * ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *m2 = mmap(0, 2 * ps, PROT_READ, MAP_SHARED, fd, 0);
  printf("touched: %c\n", m[0]);
  pwrite(fd, "written", 7, 100);
  pwrite(fd, "later", 5, ps + 10);
  printf("mapping sees write: %.7s, untouched page: %.5s, second mapping: %.7s\n", m + 100, m + ps + 10, m2 + 100);
  lseek(fd, 200, SEEK_SET);
  write(fd, "cursor", 6);
  printf("write at the offset: %.6s\n", m + 200);
  memcpy(m + 300, "stored", 6);
  char buf[16] = {0};
  pread(fd, buf, 6, 300);
  printf("read sees store: %s\n", buf);
  printf("second mapping sees store: %.6s\n", m2 + 300);
  fflush(stdout);
  if (fork() == 0) {
    memcpy(m + 400, "child", 5);
    _exit(0);
  }
  wait(0);
  memset(buf, 0, sizeof buf);
  pread(fd, buf, 5, 400);
  printf("read sees the child's store: %s, mapping: %.5s\n", buf, m + 400);

  T(msync(m, ps, MS_SYNC));
  T(msync(m + 1, ps, MS_SYNC));
  T(msync(m, ps, MS_SYNC | MS_ASYNC));
  T(msync(m, ps, 8));
  T(msync(m, 0, MS_SYNC));
  T(msync(m + 4 * ps, ps, MS_SYNC));
  T(msync(m, ps, MS_INVALIDATE));
  T(mlock(m, ps));
  T(msync(m, ps, MS_INVALIDATE));
  T(msync(m, ps, MS_SYNC));
  T(msync(m + ps, ps, MS_INVALIDATE));
  return 0;
}
