// Linux's resource limits and the errors they give, one part per argument:
// fsize nofile as data stack nproc sigpending memlock. Each part prints
// facts that hold on any Linux (the host kernel is the oracle: build.sh
// records its output for the x86_64 build).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(int e) {
  switch (e) {
  case 0: return "ok";
  case EFBIG: return "EFBIG";
  case EMFILE: return "EMFILE";
  case ENOMEM: return "ENOMEM";
  case EAGAIN: return "EAGAIN";
  case EBADF: return "EBADF";
  case EINVAL: return "EINVAL";
  case EPERM: return "EPERM";
  default: return strerror(e);
  }
}

static void limit(int res, rlim_t cur) {
  struct rlimit r;
  getrlimit(res, &r);
  r.rlim_cur = cur;
  if (r.rlim_max != RLIM_INFINITY && r.rlim_max < cur) r.rlim_max = cur;
  if (setrlimit(res, &r) != 0) printf("setrlimit(%d): %s\n", res, err(errno));
}

static volatile int xfsz;
static void on_xfsz(int s) { (void)s; xfsz++; }

static void fsize(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/salty-limits-%d", getpid());
  signal(SIGXFSZ, on_xfsz);
  limit(RLIMIT_FSIZE, 10000);
  int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
  static char buf[8192];
  ssize_t a = write(fd, buf, sizeof buf);
  ssize_t b = write(fd, buf, sizeof buf);
  errno = 0;
  ssize_t c = write(fd, buf, 1);
  printf("fsize: writes %zd %zd, then %zd %s, SIGXFSZ %d\n", a, b, c, err(errno), xfsz);
  errno = 0;
  int t = ftruncate(fd, 20000);
  printf("fsize: ftruncate past it %d %s, SIGXFSZ %d; within it %d\n", t, err(errno), xfsz, ftruncate(fd, 9000));
  close(fd);
  unlink(path);
  limit(RLIMIT_FSIZE, RLIM_INFINITY);
}

static void nofile(void) {
  limit(RLIMIT_NOFILE, 64);
  int last = -1, fd;
  while ((fd = open("/dev/null", O_RDONLY)) >= 0) last = fd;
  printf("nofile: open until %s, last descriptor %d\n", err(errno), last);
  int p[2], r;
  errno = 0;
  r = pipe(p);
  printf("nofile: pipe %d %s", r, err(errno));
  errno = 0;
  r = dup(0);
  printf(", dup %d %s", r, err(errno));
  errno = 0;
  r = socket(AF_UNIX, SOCK_STREAM, 0);
  printf(", socket %d %s", r, err(errno));
  errno = 0;
  r = dup2(0, 64);
  printf(", dup2 to 64 %d %s", r, err(errno));
  errno = 0;
  r = fcntl(0, F_DUPFD, 64);
  printf(", F_DUPFD 64 %d %s\n", r, err(errno));
  close(last);
  close(last - 1);
  errno = 0;
  int q = pipe(p);
  printf("nofile: two free: pipe %d %s, descriptors %d %d\n", q, err(errno), p[0], p[1]);
  for (fd = 3; fd < 64; fd++) close(fd);
}

static long status_kb(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, field, strlen(field)) == 0) v = atol(line + strlen(field) + 1);
  if (f) fclose(f);
  return v;
}

#define MB (1024L * 1024)
static const char *mapped(void *p) { return p == MAP_FAILED ? err(errno) : "ok"; }
static void *anon(size_t len, int prot, int flags) { errno = 0; return mmap(0, len, prot, flags | MAP_ANONYMOUS, -1, 0); }

static void as(void) {
  long vm = status_kb("VmSize:");
  limit(RLIMIT_AS, vm * 1024 + 48 * MB);
  void *a = anon(16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
  printf("as: mmap 16M %s", mapped(a));
  void *b = anon(64 * MB, PROT_READ, MAP_PRIVATE);
  printf(", mmap 64M %s", mapped(b));
  void *c = anon(16 * MB, PROT_READ, MAP_SHARED);
  printf(", shared 16M %s", mapped(c));
  errno = 0;
  void *brk = sbrk(64 * MB);
  printf(", sbrk 64M %s", brk == (void *)-1 ? err(errno) : "ok");
  errno = 0;
  void *d = mremap(a, 16 * MB, 64 * MB, MREMAP_MAYMOVE);
  printf(", mremap to 64M %s", mapped(d));
  errno = 0;
  void *e = mmap(a, 16 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf(", MAP_FIXED over 16M %s\n", mapped(e));
  munmap(a, 16 * MB);
  munmap(c, 16 * MB);
  void *f = anon(32 * MB, PROT_READ, MAP_PRIVATE);
  printf("as: after munmap, mmap 32M %s\n", mapped(f));
  munmap(f, 32 * MB);
  limit(RLIMIT_AS, RLIM_INFINITY);
}

static void data(void) {
  long vm = status_kb("VmData:");
  limit(RLIMIT_DATA, vm * 1024 + 16 * MB);
  void *a = anon(32 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
  printf("data: private writable 32M %s", mapped(a));
  void *b = anon(32 * MB, PROT_READ, MAP_PRIVATE);
  printf(", read-only 32M %s", mapped(b));
  void *c = anon(32 * MB, PROT_READ | PROT_WRITE, MAP_SHARED);
  printf(", shared 32M %s", mapped(c));
  void *d = anon(8 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
  printf(", private writable 8M %s", mapped(d));
  errno = 0;
  void *brk = sbrk(32 * MB);
  printf(", sbrk 32M %s\n", brk == (void *)-1 ? err(errno) : "ok");
  limit(RLIMIT_DATA, RLIM_INFINITY);
}

static int recurse(int depth) {
  volatile char frame[4096];
  frame[0] = (char)depth;
  if (depth == 0) return frame[0];
  return recurse(depth - 1) + frame[0];
}

static void stack_child(rlim_t lim, int kib) {
  pid_t pid = fork();
  if (pid == 0) {
    limit(RLIMIT_STACK, lim);
    recurse(kib / 4);
    _exit(7);
  }
  int st;
  waitpid(pid, &st, 0);
  printf("stack: limit %luK, %dK deep: %s %d\n", (unsigned long)(lim / 1024), kib, WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

static void stack(void) {
  stack_child(512 * 1024, 2048);
  stack_child(16 * MB, 2048);
}

static void nproc(void) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(9);
    limit(RLIMIT_NPROC, 8);
    int p[2];
    pipe(p);
    int n = 0;
    for (; n < 20; n++) {
      pid_t c = fork();
      if (c < 0) break;
      if (c == 0) {
        char x;
        close(p[1]);
        read(p[0], &x, 1);
        _exit(0);
      }
    }
    printf("nproc: fork refused with %s after %d children (limit 8, the parent counts)\n", err(errno), n);
    close(p[1]);
    while (wait(0) > 0) {
    }
    _exit(0);
  }
  waitpid(pid, 0, 0);
}

static void sigqueue_limit(void) {
  // The count is per user: a user of its own (nobody) has no other signal queued.
  pid_t pid = fork();
  if (pid != 0) {
    waitpid(pid, 0, 0);
    return;
  }
  if (setgid(65534) != 0 || setuid(65534) != 0) _exit(9);
  limit(RLIMIT_SIGPENDING, 100);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &s, 0);
  union sigval v = {0};
  int n = 0;
  while (sigqueue(getpid(), SIGRTMIN, v) == 0 && n < 1000) n++;
  printf("sigpending: %d queued, then %s\n", n, err(errno));
  _exit(0);
}

static void memlock(void) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(9);
    limit(RLIMIT_MEMLOCK, 64 * 1024);
    char *p = anon(256 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    errno = 0;
    int a = mlock(p, 128 * 1024);
    printf("memlock: 128K over 64K %d %s", a, err(errno));
    errno = 0;
    int b = mlock(p, 32 * 1024);
    printf(", 32K %d %s\n", b, err(errno));
    _exit(0);
  }
  waitpid(pid, 0, 0);
}

static long read_long(const char *path) {
  FILE *f = fopen(path, "r");
  long v = -1;
  if (f && fscanf(f, "%ld", &v) != 1) v = -1;
  if (f) fclose(f);
  return v;
}

// Forks children that wait on a pipe until fork fails; returns how many it made (errno says why it stopped).
static int fork_until_refused(int max) {
  int p[2], n = 0;
  pipe(p);
  for (; n < max; n++) {
    pid_t c = fork();
    if (c < 0) break;
    if (c == 0) {
      char x;
      close(p[1]);
      read(p[0], &x, 1);
      _exit(0);
    }
  }
  int e = errno;
  close(p[1]);
  close(p[0]);
  while (wait(0) > 0) {
  }
  errno = e;
  return n;
}

// Not run on the host (it changes the host's pid_max): kernel.pid_max bounds the ids, fork answers EAGAIN when none is free.
static void pidmax(void) {
  FILE *f = fopen("/proc/sys/kernel/pid_max", "w");
  int low = f && fprintf(f, "300\n") > 0 && fflush(f) == 0;
  if (f) fclose(f);
  printf("pid_max: 300 %s (it must exceed RESERVED_PIDS, 300)\n", low ? "accepted" : "refused");
  f = fopen("/proc/sys/kernel/pid_max", "w");
  fprintf(f, "400\n");
  fclose(f);
  printf("pid_max: now %ld\n", read_long("/proc/sys/kernel/pid_max"));
  errno = 0;
  int n = fork_until_refused(1000);
  printf("pid_max: fork refused with %s after %d children (ids 300 to 399)\n", err(errno), n);
  f = fopen("/proc/sys/kernel/pid_max", "w");
  fprintf(f, "32768\n");
  fclose(f);
}

// Not run on the host either: kernel.threads-max bounds the tasks, even root's (lowered to 50 here).
static void threadsmax(void) {
  long was = read_long("/proc/sys/kernel/threads-max");
  FILE *f = fopen("/proc/sys/kernel/threads-max", "w");
  fprintf(f, "50\n");
  fclose(f);
  errno = 0;
  int n = fork_until_refused(1000);
  printf("threads-max: fork refused with %s after %d children (threads-max 50, the parent counts)\n", err(errno), n);
  f = fopen("/proc/sys/kernel/threads-max", "w");
  fprintf(f, "%ld\n", was);
  fclose(f);
}

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IONBF, 0);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "fsize")) fsize();
    else if (!strcmp(a, "nofile")) nofile();
    else if (!strcmp(a, "as")) as();
    else if (!strcmp(a, "data")) data();
    else if (!strcmp(a, "stack")) stack();
    else if (!strcmp(a, "nproc")) nproc();
    else if (!strcmp(a, "sigpending")) sigqueue_limit();
    else if (!strcmp(a, "memlock")) memlock();
    else if (!strcmp(a, "pidmax")) pidmax();
    else if (!strcmp(a, "threadsmax")) threadsmax();
    else printf("unknown part %s\n", a);
  }
  return 0;
}
