// A descriptor bomb: opens files, pipes and socket pairs until refused
// (RLIMIT_NOFILE set to 4096, so the run is the same anywhere), then frees
// them and does it again.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *name(int e) { return e == EMFILE ? "EMFILE" : e == ENFILE ? "ENFILE" : strerror(e); }

static void closeall(void) {
  for (int fd = 3; fd < 4096; fd++) close(fd);
}

int main(void) {
  struct rlimit r = {4096, 4096};
  setvbuf(stdout, 0, _IONBF, 0);
  if (setrlimit(RLIMIT_NOFILE, &r) != 0) perror("setrlimit");
  closeall(); // what the caller left open (a harness's descriptors) does not count
  for (int round = 0; round < 2; round++) {
    int n = 0, p[2];
    while (open("/dev/null", O_RDONLY) >= 0) n++;
    printf("fdbomb: %d files, then %s\n", n, name(errno));
    closeall();
    n = 0;
    while (pipe(p) == 0) {
      n++;
      write(p[1], "x", 1);
    }
    printf("fdbomb: %d pipes, then %s\n", n, name(errno));
    closeall();
    n = 0;
    while (socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0) n++;
    printf("fdbomb: %d socket pairs, then %s\n", n, name(errno));
    closeall();
  }
  return 0;
}
