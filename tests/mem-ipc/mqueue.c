// POSIX message queues: names and open flags, attributes and their limits,
// priorities, blocking and non-blocking send and receive with timeouts,
// mq_getsetattr, the descriptor (close-on-exec, fstat, read, poll),
// mq_notify with a signal and its siginfo, unlink while open, and what a
// user without privileges may do (EACCES, RLIMIT_MSGQUEUE).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T(x) ({ long r_ = (long)(x); int e_ = errno; printf("%-62s -> %ld %s\n", #x, r_ < 0 ? -1L : r_ > 2 ? 3L : r_, r_ < 0 ? strerror(e_) : ""); r_; })

static volatile int got_sig, got_code, got_pid_ok, got_value;
static void handler(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got_sig = sig;
  got_code = si->si_code;
  got_pid_ok = si->si_pid == getpid();
  got_value = si->si_value.sival_int;
}

static struct timespec in_ms(int ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += ms * 1000000L;
  ts.tv_sec += ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}

int main(void) {
  char buf[8192];
  unsigned prio;
  struct mq_attr at = {0}, old = {0};
  for (const char *n = "/mqa\0/mqb\0/mqc\0/mqd\0"; *n; n += strlen(n) + 1) mq_unlink(n);

  T(syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, 0));
  T(syscall(SYS_mq_open, "..", O_RDWR | O_CREAT, 0600, 0));
  T(syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, 0));
  T(syscall(SYS_mq_open, "mqa", O_RDWR, 0600, 0));
  T(syscall(SYS_mq_unlink, "mqa"));
  at.mq_maxmsg = 0; at.mq_msgsize = 10;
  T(mq_open("/mqa", O_RDWR | O_CREAT, 0600, &at));
  at.mq_maxmsg = 3; at.mq_msgsize = -1;
  T(mq_open("/mqa", O_RDWR | O_CREAT, 0600, &at));
  at.mq_maxmsg = 3; at.mq_msgsize = 16;
  int q = T(mq_open("/mqa", O_RDWR | O_CREAT | O_EXCL, 0640, &at));
  T(mq_open("/mqa", O_RDWR | O_CREAT | O_EXCL, 0640, &at));
  T(syscall(SYS_mq_open, "mqa", O_ACCMODE, 0, 0));
  T(fcntl(q, F_GETFD));
  T(fcntl(q, F_GETFL) == O_RDWR);
  struct stat st;
  fstat(q, &st);
  printf("mode %o size %ld\n", st.st_mode, (long)st.st_size);
  T(mq_getattr(q, &old));
  printf("attr flags %ld maxmsg %ld msgsize %ld curmsgs %ld\n", old.mq_flags, old.mq_maxmsg, old.mq_msgsize, old.mq_curmsgs);

  T(mq_send(q, "low", 3, 1));
  T(mq_send(q, "high", 4, 9));
  T(mq_send(q, "low2", 4, 1));
  T(mq_send(q, "big message 17 b", 17, 1));
  struct pollfd pf = {q, POLLIN | POLLOUT, 0};
  T(poll(&pf, 1, 0));
  printf("revents %#x\n", pf.revents);
  int n = read(q, buf, sizeof buf);
  buf[n > 0 ? n : 0] = 0;
  printf("read: %s", buf);
  T(write(q, "x", 1));
  struct timespec ts = in_ms(20);
  T(mq_timedsend(q, "x", 1, 0, &ts));
  T(mq_send(q, "x", 1, 32768));
  T(mq_receive(q, buf, 15, &prio));
  for (int i = 0; i < 3; i++) {
    n = mq_receive(q, buf, sizeof buf, &prio);
    printf("received %.*s prio %u\n", n, buf, prio);
  }
  ts = in_ms(20);
  T(mq_timedreceive(q, buf, sizeof buf, &prio, &ts));
  ts.tv_nsec = 1000000000;
  T(mq_timedreceive(q, buf, sizeof buf, &prio, &ts));
  T(mq_timedreceive(q, buf, sizeof buf, &prio, (struct timespec *)8));

  at.mq_flags = O_NONBLOCK;
  T(mq_setattr(q, &at, &old));
  printf("old flags %ld\n", old.mq_flags);
  T(mq_receive(q, buf, sizeof buf, &prio));
  at.mq_flags = O_NONBLOCK | O_APPEND;
  T(syscall(SYS_mq_getsetattr, q, &at, 0));
  T(mq_getattr(q, &old));
  printf("now flags %#lx\n", old.mq_flags);
  T(syscall(SYS_mq_getsetattr, 0, 0, &old));

  // Notification: a signal when a message arrives in the empty queue.
  struct sigaction sa = {0};
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, 0);
  struct sigevent ev = {0};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 42;
  T(mq_notify(q, &ev));
  T(mq_notify(q, &ev));
  n = pread(q, buf, sizeof buf, 0);
  buf[n > 0 ? n : 0] = 0;
  printf("pread: %.*s\n", (int)strcspn(buf, "N"), buf);
  printf("has NOTIFY:0 SIGNO:10: %d\n", strstr(buf, "NOTIFY:0     SIGNO:10") != 0);
  fflush(stdout);
  if (fork() == 0) {
    T(mq_notify(q, &ev));
    T(mq_notify(q, 0));
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  T(mq_send(q, "ping", 4, 0));
  printf("signal %d code %d pid ok %d value %d\n", got_sig, got_code, got_pid_ok, got_value);
  got_sig = 0;
  T(mq_receive(q, buf, sizeof buf, &prio));
  T(mq_send(q, "ping", 4, 0));
  printf("again: signal %d\n", got_sig);
  T(mq_receive(q, buf, sizeof buf, &prio));
  ev.sigev_notify = 77;
  T(mq_notify(q, &ev));
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 65;
  T(mq_notify(q, &ev));
  T(mq_notify(99, 0));

  // Unlinked while open: still usable, gone by name.
  T(mq_unlink("/mqa"));
  T(mq_open("/mqa", O_RDWR));
  T(mq_send(q, "after", 5, 0));
  T(mq_receive(q, buf, sizeof buf, &prio));
  mq_close(q);

  // A blocking send woken by a receiver in another process.
  at.mq_flags = 0; at.mq_maxmsg = 1; at.mq_msgsize = 8;
  int b = T(mq_open("/mqb", O_RDWR | O_CREAT, 0600, &at));
  T(mq_send(b, "one", 3, 0));
  fflush(stdout);
  if (fork() == 0) {
    usleep(50000);
    n = mq_receive(b, buf, sizeof buf, &prio);
    _exit(n == 3 ? 0 : 1);
  }
  ts = in_ms(5000);
  T(mq_timedsend(b, "two", 3, 0, &ts));
  int status;
  wait(&status);
  printf("child received: %d\n", WEXITSTATUS(status) == 0);
  n = mq_receive(b, buf, sizeof buf, &prio);
  printf("left: %.*s\n", n, buf);

  // Without privileges.
  fflush(stdout);
  if (fork() == 0) {
    setuid(65534);
    T(mq_open("/mqb", O_RDONLY));
    T(mq_unlink("/mqb"));
    at.mq_maxmsg = 11; at.mq_msgsize = 8;
    T(mq_open("/mqc", O_RDWR | O_CREAT, 0600, &at));
    at.mq_maxmsg = 10; at.mq_msgsize = 8193;
    T(mq_open("/mqc", O_RDWR | O_CREAT, 0600, &at));
    struct rlimit rl = {1000, 1000};
    setrlimit(RLIMIT_MSGQUEUE, &rl);
    at.mq_maxmsg = 2; at.mq_msgsize = 400;
    T(mq_open("/mqc", O_RDWR | O_CREAT, 0600, &at));
    at.mq_maxmsg = 2; at.mq_msgsize = 300;
    T(mq_open("/mqc", O_RDWR | O_CREAT, 0600, &at));
    T(mq_open("/mqd", O_RDWR | O_CREAT, 0600, &at));
    T(mq_unlink("/mqc"));
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  T(mq_unlink("/mqb"));
  T(mq_unlink("/mqd"));
  return 0;
}
