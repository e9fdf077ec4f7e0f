// Memory locks as /proc shows them: VmLck in status and Locked/Rss in smaps
// after mlock, munlock, mlock2(MLOCK_ONFAULT), MAP_LOCKED, mlockall and
// munlockall; RLIMIT_MEMLOCK for a user without CAP_IPC_LOCK; pagemap's
// present bit (MAP_POPULATE, touched and untouched pages); mincore of a
// private file mapping whose pages a child read in.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long vmlck(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmLck: %ld", &kb) == 1) break;
  fclose(f);
  return kb;
}

/** Rss and Locked of the smaps entry starting at addr. */
static void smaps(void *addr, long *rss, long *locked, char *flags) {
  FILE *f = fopen("/proc/self/smaps", "r");
  char line[512];
  int in = 0;
  *rss = *locked = -1;
  flags[0] = 0;
  while (fgets(line, sizeof line, f)) {
    unsigned long s, e;
    if (sscanf(line, "%lx-%lx", &s, &e) == 2) {
      if (in) break;
      in = s == (unsigned long)addr;
      continue;
    }
    if (!in) continue;
    sscanf(line, "Rss: %ld", rss);
    sscanf(line, "Locked: %ld", locked);
    if (!strncmp(line, "VmFlags:", 8)) {
      strcpy(flags, line + 9);
      flags[strlen(flags) - 1] = 0;
    }
  }
  fclose(f);
}

static void report(const char *what, void *addr) {
  long rss, locked;
  char flags[128];
  smaps(addr, &rss, &locked, flags);
  long lck = vmlck();
  printf("%-28s VmLck %ld  Rss %ld  Locked %ld  lo %d\n", what, lck > 1000 ? -1 : lck, rss, locked, strstr(flags, "lo") != 0);
}

/** The result of a call and its errno's text, in that order. */
#define TRY(call) ({ long r_ = (long)(call); int e_ = errno; static char t_[64]; snprintf(t_, sizeof t_, "%ld %s", r_, r_ < 0 ? strerror(e_) : ""); t_; })

static int present(void *addr, int pages, int *out) {
  int pm = open("/proc/self/pagemap", O_RDONLY);
  if (pm < 0) return -errno;
  int n = 0;
  for (int i = 0; i < pages; i++) {
    uint64_t e;
    if (pread(pm, &e, 8, ((uintptr_t)addr / 4096 + i) * 8) != 8) return -errno;
    n += (e >> 63) & 1;
  }
  *out = n;
  close(pm);
  return 0;
}

int main(void) {
  const size_t len = 16 * 4096;
  printf("start VmLck %ld\n", vmlck());
  char *a = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  report("mapped", a);
  printf("mlock -> %d\n", mlock(a + 4096, 4 * 4096));
  report("first page, unlocked", a);
  report("locked part", a + 4096);
  printf("munlock -> %d\n", munlock(a, len));
  report("after munlock", a);
  printf("mlock2 ONFAULT -> %d\n", mlock2(a, len, MLOCK_ONFAULT));
  report("onfault, untouched", a);
  a[0] = 1;
  a[5 * 4096] = 1;
  report("onfault, two touched", a);
  munlock(a, len);
  munmap(a, len);

  char *l = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
  report("MAP_LOCKED", l);
  munmap(l, len);
  printf("after munmap VmLck %ld\n", vmlck());

  printf("mlockall(CURRENT|FUTURE) -> %d\n", mlockall(MCL_CURRENT | MCL_FUTURE));
  long before = vmlck();
  printf("VmLck > 0: %d\n", before > 0);
  char *f = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mapped after MCL_FUTURE: VmLck grew by %ld\n", vmlck() - before);
  report("mapped after MCL_FUTURE", f);
  printf("munlockall -> %d\n", munlockall());
  report("after munlockall", f);
  printf("mlockall(0) -> %s\n", TRY(mlockall(0)));
  munmap(f + 4096, 4096);
  printf("mlock over a hole -> %s\n", TRY(mlock(f, 3 * 4096)));
  report("locked up to the hole", f);

  int n = -1;
  char *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  int r = present(p, 16, &n);
  printf("pagemap open+read -> %d, MAP_POPULATE present %d of 16\n", r, n);
  char *q = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  q[3 * 4096] = 1;
  present(q, 16, &n);
  printf("one touched page: present %d of 16\n", n);
  int pm = open("/proc/self/pagemap", O_RDONLY);
  uint64_t e;
  printf("unaligned pread -> %s\n", TRY(pread(pm, &e, 8, 3)));
  close(pm);

  // mincore of a private file mapping: pages a child read in count as resident in the parent too.
  int fd = open("/tmp/memlock.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
  unlink("/tmp/memlock.tmp");
  ftruncate(fd, 4 * 4096);
  fsync(fd);
  posix_fadvise(fd, 0, 4 * 4096, POSIX_FADV_DONTNEED);
  char *m = mmap(0, 4 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
  fflush(stdout);
  if (fork() == 0) {
    volatile char x = m[0] + m[2 * 4096];
    (void)x;
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  unsigned char vec[4];
  mincore(m, 4 * 4096, vec);
  printf("mincore after child read pages 0 and 2: %d %d\n", vec[0] & 1, vec[2] & 1);

  // Without CAP_IPC_LOCK, RLIMIT_MEMLOCK counts.
  fflush(stdout);
  if (fork() == 0) {
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_MEMLOCK, &rl);
    setuid(65534);
    char *u = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("nobody, limit 0: mlock -> %s\n", TRY(mlock(u, 4096)));
    printf("nobody, limit 0: mlockall -> %s\n", TRY(mlockall(MCL_CURRENT)));
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  fflush(stdout);
  if (fork() == 0) {
    struct rlimit rl = {8192, 8192};
    setrlimit(RLIMIT_MEMLOCK, &rl);
    setuid(65534);
    char *u = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("nobody, limit 8k: mlock 2 pages -> %d\n", mlock(u, 8192));
    printf("nobody, limit 8k: mlock same 2 again -> %d\n", mlock(u, 8192));
    printf("nobody, limit 8k: mlock a third -> %s\n", TRY(mlock(u + 8192, 4096)));
    void *v = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    int e = errno;
    printf("nobody, limit 8k: MAP_LOCKED -> %s %s\n", v == MAP_FAILED ? "failed" : "mapped", v == MAP_FAILED ? strerror(e) : "");
    printf("nobody, limit 8k: mlockall -> %s\n", TRY(mlockall(MCL_CURRENT)));
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  return 0;
}
