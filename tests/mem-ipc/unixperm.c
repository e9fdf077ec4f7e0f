// connect(2) and sendto(2) to a path-bound AF_UNIX socket need write
// permission on the socket's inode (EACCES), checked before the socket type
// (EPROTOTYPE) as Linux's unix_find_bsd does.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define T(x) ({ long r_ = (long)(x); int e_ = errno; printf("%-60s -> %ld %s\n", #x, r_, r_ < 0 ? strerror(e_) : ""); r_; })

int main(void) {
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strcpy(a.sun_path, "/tmp/unixperm.sock");
  unlink(a.sun_path);
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  bind(srv, (struct sockaddr *)&a, sizeof a);
  listen(srv, 5);
  fflush(stdout);
  if (fork() == 0) {
    setuid(65534);
    int st = socket(AF_UNIX, SOCK_STREAM, 0);
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(connect(st, (struct sockaddr *)&a, sizeof a));
    T(connect(dg, (struct sockaddr *)&a, sizeof a));
    T(sendto(dg, "x", 1, 0, (struct sockaddr *)&a, sizeof a));
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  chmod(a.sun_path, 0777);
  fflush(stdout);
  if (fork() == 0) {
    setuid(65534);
    int st = socket(AF_UNIX, SOCK_STREAM, 0);
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    T(connect(st, (struct sockaddr *)&a, sizeof a));
    T(connect(dg, (struct sockaddr *)&a, sizeof a));
    fflush(stdout);
    _exit(0);
  }
  wait(0);
  unlink(a.sun_path);
  return 0;
}
