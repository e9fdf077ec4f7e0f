// Readiness of FIFOs and /proc files: a FIFO opened O_RDWR is readable and
// writable at once; a reader sees POLLHUP only after a writer came and went;
// a writer sees POLLERR without readers. /proc files without a poll
// operation (maps, status) cannot join an epoll set (EPERM); /proc/sys files
// and the mount tables can.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, int fd, short events) {
  struct pollfd p = {fd, events, 0};
  int n = poll(&p, 1, 0);
  printf("%-40s poll %d revents %#x\n", what, n, p.revents);
}

static void epollAdd(const char *path) {
  int fd = open(path, O_RDONLY);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN};
  int r = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  printf("epoll_ctl ADD %-28s -> %d %s\n", path, r, r < 0 ? strerror(errno) : "");
  close(ep);
  close(fd);
}

int main(void) {
  const char *fifo = "/tmp/readiness.fifo";
  unlink(fifo);
  mkfifo(fifo, 0600);
  int rw = open(fifo, O_RDWR);
  show("O_RDWR, empty", rw, POLLIN | POLLOUT);
  write(rw, "x", 1);
  show("O_RDWR, one byte", rw, POLLIN | POLLOUT);
  fd_set r, w;
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_SET(rw, &r);
  FD_SET(rw, &w);
  struct timeval tv = {0, 0};
  printf("select on O_RDWR: %d\n", select(rw + 1, &r, &w, 0, &tv));
  close(rw);

  int rd = open(fifo, O_RDONLY | O_NONBLOCK);
  show("reader, no writer ever", rd, POLLIN);
  int wr = open(fifo, O_WRONLY | O_NONBLOCK);
  show("reader, writer open", rd, POLLIN);
  show("writer", wr, POLLOUT);
  write(wr, "ab", 2);
  show("reader, two bytes", rd, POLLIN);
  close(wr);
  show("reader, writer gone, bytes left", rd, POLLIN);
  char buf[4];
  read(rd, buf, sizeof buf);
  show("reader, writer gone, empty", rd, POLLIN);
  int rd2 = open(fifo, O_RDONLY | O_NONBLOCK);
  show("second reader opened after", rd2, POLLIN);
  int wr2 = open(fifo, O_WRONLY | O_NONBLOCK);
  close(rd);
  close(rd2);
  show("writer, readers gone", wr2, POLLOUT);
  close(wr2);
  unlink(fifo);

  epollAdd("/proc/self/maps");
  epollAdd("/proc/self/status");
  epollAdd("/proc/meminfo");
  epollAdd("/proc/sys/kernel/hostname");
  epollAdd("/proc/self/mounts");
  epollAdd("/proc/self/mountinfo");
  return 0;
}
