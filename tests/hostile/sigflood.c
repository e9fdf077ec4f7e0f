// A signal flood: as a user of its own (nobody), queues real-time signals
// to itself (blocked) until RLIMIT_SIGPENDING refuses, and again to a child;
// standard signals do not queue.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int flood(pid_t to) {
  union sigval v = {0};
  int n = 0;
  while (n < 20000 && sigqueue(to, SIGRTMIN + 1, v) == 0) n++;
  return n;
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) perror("setuid");
  struct rlimit r = {5000, 5000};
  if (setrlimit(RLIMIT_SIGPENDING, &r) != 0) perror("setrlimit");
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN + 1);
  sigaddset(&s, SIGUSR1);
  sigprocmask(SIG_BLOCK, &s, 0);
  int n = flood(getpid());
  printf("sigflood: %d queued to itself, then %s\n", n, errno == EAGAIN ? "EAGAIN" : strerror(errno));
  int k = 0;
  for (; k < 20000; k++)
    if (kill(getpid(), SIGUSR1) != 0) break;
  printf("sigflood: %d kills of a standard signal all succeed: %s\n", k, k == 20000 ? "yes" : "no");
  pid_t pid = fork();
  if (pid == 0) {
    pause();
    _exit(0);
  }
  errno = 0;
  int m = flood(pid);
  printf("sigflood: %d more to a child (the count is per user), then %s\n", m, errno == EAGAIN ? "EAGAIN" : strerror(errno));
  kill(pid, SIGKILL);
  waitpid(pid, 0, 0);
  signal(SIGRTMIN + 1, SIG_IGN);
  signal(SIGUSR1, SIG_IGN);
  sigprocmask(SIG_UNBLOCK, &s, 0);
  errno = 0;
  n = flood(getpid());
  printf("sigflood: ignored and unblocked, %d more, then %s\n", n, errno == 0 ? "none refused" : strerror(errno));
  return 0;
}
