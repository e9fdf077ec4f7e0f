// An mmap bomb: maps 1 MiB regions until RLIMIT_AS (256 MiB) refuses; one
// mapping larger than all RAM (refused with overcommit_memory 2); then,
// with no limit, a child maps and touches 16 MiB regions until memory runs
// out: it is killed (the OOM killer) or refused (ENOMEM).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB (1024L * 1024)

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit r = {256 * MB, RLIM_INFINITY};
    setrlimit(RLIMIT_AS, &r);
    int n = 0;
    while (mmap(0, MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED) n++;
    printf("mmapbomb: RLIMIT_AS 256M: %s after %s 200 regions of 1M\n", errno == ENOMEM ? "ENOMEM" : strerror(errno), n > 200 ? "more than" : "at most");
    _exit(0);
  }
  waitpid(pid, 0, 0);
  // vm.overcommit_memory 2: what is committed stays under overcommit_ratio (50) % of RAM.
  FILE *f = fopen("/proc/sys/vm/overcommit_memory", "w");
  fprintf(f, "2\n");
  fclose(f);
  errno = 0;
  void *huge = mmap(0, 64L << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmapbomb: never overcommit: one 64G private writable mapping: %s\n", huge == MAP_FAILED ? (errno == ENOMEM ? "ENOMEM" : strerror(errno)) : "mapped");
  f = fopen("/proc/sys/vm/overcommit_memory", "w");
  fprintf(f, "0\n");
  fclose(f);
  pid = fork();
  if (pid == 0) {
    for (;;) {
      char *p = mmap(0, 16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) {
        printf("mmapbomb: child refused: %s\n", strerror(errno));
        _exit(3);
      }
      for (long i = 0; i < 16 * MB; i += 4096) p[i] = 1;
    }
  }
  int st;
  waitpid(pid, &st, 0);
  printf("mmapbomb: the toucher %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? "was killed (SIGKILL)" : WIFEXITED(st) ? "exited" : "died otherwise");
  return 0;
}
