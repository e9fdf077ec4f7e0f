// Pipes: packet mode (pipe2 O_DIRECT: one write, one packet of at most a
// page; a read takes one packet and drops what does not fit), RLIMIT_NOFILE
// (EMFILE, leaving no descriptor behind), a bad fds pointer (EFAULT), and
// fs.pipe-user-pages-soft: an unprivileged user past it gets two-page pipes.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define T(x) ({ long r_ = (long)(x); int e_ = errno; printf("%-56s -> %ld %s\n", #x, r_, r_ < 0 ? strerror(e_) : ""); r_; })

static int countFds(void) {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++) n += fcntl(fd, F_GETFD) >= 0;
  return n;
}

int main(void) {
  int p[2];
  char buf[10000];
  T(pipe2(p, O_DIRECT));
  printf("write end O_DIRECT %d, read end %d\n", (fcntl(p[1], F_GETFL) & O_DIRECT) != 0, (fcntl(p[0], F_GETFL) & O_DIRECT) != 0);
  T(write(p[1], "hello", 5));
  T(write(p[1], "world!", 6));
  T(read(p[0], buf, 3));
  T(read(p[0], buf, 100));
  buf[6] = 0;
  printf("second packet: %s\n", buf);
  memset(buf, 'x', sizeof buf);
  T(write(p[1], buf, 5000));
  T(read(p[0], buf, 10000));
  T(read(p[0], buf, 10000));
  T(fcntl(p[1], F_SETFL, 0));
  T(write(p[1], "ab", 2));
  T(write(p[1], "cd", 2));
  T(read(p[0], buf, 100));
  T(fcntl(p[1], F_SETFL, O_DIRECT | O_NONBLOCK));
  int n = 0;
  while (write(p[1], "z", 1) == 1) n++;
  printf("one-byte packets until full: %d (%s)\n", n, strerror(errno));
  close(p[0]);
  close(p[1]);
  T(pipe2(p, O_DIRECT | O_EXCL));
  T(pipe2((int *)8, 0));

  int before = countFds();
  // Room for exactly one more descriptor: the lowest free number is the last one allowed.
  int lowest = dup(0);
  close(lowest);
  struct rlimit rl, saved;
  getrlimit(RLIMIT_NOFILE, &saved);
  rl.rlim_cur = lowest + 1;
  rl.rlim_max = saved.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  T(pipe(p));
  printf("descriptors left behind: %d\n", countFds() - before);
  rl.rlim_cur = 4096;
  setrlimit(RLIMIT_NOFILE, &rl);
  T(pipe2((int *)8, 0));
  printf("descriptors left behind: %d\n", countFds() - before);

  fflush(stdout);
  if (fork() == 0) {
    setuid(65534);
    static int fds[2100];
    int i;
    long first = -1, last = -1;
    for (i = 0; i < 1030; i++) {
      if (pipe(fds + 2 * i) < 0) {
        printf("nobody: pipe %d: %s\n", i, strerror(errno));
        break;
      }
      long sz = fcntl(fds[2 * i + 1], F_GETPIPE_SZ);
      if (first < 0) first = sz;
      last = sz;
    }
    printf("nobody: %d pipes, first %ld bytes, last %ld bytes\n", i, first, last);
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  return 0;
}
