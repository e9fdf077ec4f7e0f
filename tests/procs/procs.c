// Processes, scheduling, identity, namespaces and clocks: one line per
// check, with results that do not depend on the machine (no pids, no
// times). Runs as root; the checks that need an unprivileged caller run in
// a child that becomes nobody. Nothing here changes the machine: names and
// namespaces change only in children that made their own, and the clock
// calls only fail.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/membarrier.h>
#include <linux/random.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOBODY 65534

static void show(const char *what, long r) {
  if (r == -1)
    printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else
    printf("%s: %ld\n", what, r);
  fflush(stdout);
}

static void as_nobody(void) {
  if (setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY)) {
    perror("setresuid");
    exit(1);
  }
}

static void wait_child(pid_t pid) {
  int status;
  waitpid(pid, &status, 0);
}

static void uts(void) {
  pid_t pid = fork();
  if (pid == 0) {
    struct utsname u;
    show("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    show("sethostname(saltyns)", sethostname("saltyns", 7));
    show("sethostname(len 65)", syscall(SYS_sethostname, "x", 65));
    show("sethostname(len -1)", syscall(SYS_sethostname, "x", -1));
    show("sethostname(NULL)", syscall(SYS_sethostname, NULL, 5));
    show("setdomainname(saltydom)", setdomainname("saltydom", 8));
    uname(&u);
    printf("child nodename %s domainname %s\n", u.nodename, u.domainname);
    exit(0);
  }
  wait_child(pid);
  struct utsname u;
  uname(&u);
  printf("parent nodename unchanged: %d\n", strcmp(u.nodename, "saltyns") != 0);
  pid = fork();
  if (pid == 0) {
    as_nobody();
    show("nobody sethostname", sethostname("x", 1));
    show("nobody setdomainname", setdomainname("x", 1));
    show("nobody unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    show("nobody vhangup", syscall(SYS_vhangup));
    exit(0);
  }
  wait_child(pid);
  show("unshare(-1)", unshare(-1));
  pid = fork();
  if (pid == 0) {
    show("unshare(CLONE_FILES|CLONE_FS)", unshare(CLONE_FILES | CLONE_FS));
    show("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
    exit(0);
  }
  wait_child(pid);
  char link[64] = {0};
  readlink("/proc/self/ns/uts", link, sizeof link - 1);
  printf("ns/uts link starts %.5s\n", link);
  int ns = open("/proc/self/ns/uts", O_RDONLY);
  show("setns(uts, 0)", setns(ns, 0));
  show("setns(uts, CLONE_NEWUTS)", setns(ns, CLONE_NEWUTS));
  show("setns(uts, CLONE_NEWNS)", setns(ns, CLONE_NEWNS));
  show("setns(-1)", setns(-1, 0));
  int file = open("/proc/self/cmdline", O_RDONLY);
  show("setns(regular file)", setns(file, 0));
  pid = fork();
  if (pid == 0) {
    as_nobody();
    show("nobody setns(uts)", setns(ns, 0));
    exit(0);
  }
  wait_child(pid);
  close(ns);
  close(file);
}

static void pidfds(void) {
  int go[2];
  pipe(go);
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    read(go[0], &c, 1);
    exit(7);
  }
  int fd = syscall(SYS_pidfd_open, pid, 0);
  printf("pidfd_open: %s, cloexec %d\n", fd >= 0 ? "fd" : strerrorname_np(errno), (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  show("pidfd_open(flags 1)", syscall(SYS_pidfd_open, pid, 1));
  show("pidfd_open(-1)", syscall(SYS_pidfd_open, -1, 0));
  struct pollfd p = {fd, POLLIN, 0};
  show("poll(live)", poll(&p, 1, 0));
  show("pidfd_send_signal(flags 0x80)", syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0x80));
  show("pidfd_send_signal(sig 0)", syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0));
  show("pidfd_send_signal(not a pidfd)", syscall(SYS_pidfd_send_signal, go[1], 0, NULL, 0));
  int copy = syscall(SYS_pidfd_getfd, fd, go[0], 0);
  printf("pidfd_getfd: %s\n", copy >= 0 ? "fd" : strerrorname_np(errno));
  show("kcmp(file, copy and child's)", syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, copy, go[0]));
  show("kcmp(file, bad fd)", syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, copy, 999));
  printf("kcmp(vm, self and child) differs: %d\n", syscall(SYS_kcmp, getpid(), pid, KCMP_VM, 0, 0) > 0);
  show("kcmp(vm, self)", syscall(SYS_kcmp, getpid(), getpid(), KCMP_VM, 0, 0));
  show("kcmp(type 99)", syscall(SYS_kcmp, getpid(), getpid(), 99, 0, 0));
  show("pidfd_getfd(flags 1)", syscall(SYS_pidfd_getfd, fd, 0, 1));
  show("pidfd_getfd(not a pidfd)", syscall(SYS_pidfd_getfd, go[1], 0, 0));
  int nb = syscall(SYS_pidfd_open, pid, O_NONBLOCK);
  siginfo_t si;
  show("waitid(P_PIDFD, nonblocking, live)", waitid(P_PIDFD, nb, &si, WEXITED));
  write(go[1], "x", 1);
  p.revents = 0;
  show("poll(exited)", poll(&p, 1, -1));
  printf("revents POLLIN %d\n", (p.revents & POLLIN) != 0);
  memset(&si, 0, sizeof si);
  show("waitid(P_PIDFD)", waitid(P_PIDFD, fd, &si, WEXITED));
  printf("si_code %d si_status %d same pid %d\n", si.si_code, si.si_status, si.si_pid == pid);
  show("pidfd_send_signal(reaped)", syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0));
  show("pidfd_getfd(reaped)", syscall(SYS_pidfd_getfd, fd, 0, 0));
  close(fd);
  close(nb);
  close(copy);
}

static void scheduling(void) {
  unsigned long mask[16] = {0};
  show("sched_getaffinity(size 0)", syscall(SYS_sched_getaffinity, 0, 0, mask));
  show("sched_getaffinity(size 4)", syscall(SYS_sched_getaffinity, 0, 4, mask));
  long n = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
  printf("sched_getaffinity: %s, cpu 0 in mask %d\n", n > 0 && n % 8 == 0 ? "whole longs" : "?", (int)(mask[0] & 1));
  unsigned long none[16] = {0};
  show("sched_setaffinity(no cpu)", syscall(SYS_sched_setaffinity, 0, sizeof none, none));
  show("sched_setaffinity(bad mask)", syscall(SYS_sched_setaffinity, 0, sizeof none, (void *)8));
  show("sched_setaffinity(cpu 0)", syscall(SYS_sched_setaffinity, 0, sizeof mask, mask));
  struct sched_param sp = {0};
  show("sched_setscheduler(1, 99)", sched_setscheduler(1, 99, &sp));
  show("getpriority(PRIO_USER, -1)", getpriority(PRIO_USER, -1));
  show("getpriority(PRIO_PGRP, -1)", getpriority(PRIO_PGRP, -1));
  show("kill(1, 0)", kill(1, 0));
  pid_t pid = fork();
  if (pid == 0) {
    as_nobody();
    struct sched_param one = {1};
    show("nobody sched_setscheduler(FIFO)", sched_setscheduler(0, SCHED_FIFO, &one));
    show("nobody sched_setparam(parent)", sched_setparam(getppid(), &sp));
    show("nobody setpriority(-5)", setpriority(PRIO_PROCESS, 0, -5));
    show("nobody setpriority(5)", setpriority(PRIO_PROCESS, 0, 5));
    show("nobody getpriority", getpriority(PRIO_PROCESS, 0));
    show("nobody setpriority(parent)", setpriority(PRIO_PROCESS, getppid(), 5));
    show("nobody sched_setaffinity(parent)", syscall(SYS_sched_setaffinity, getppid(), sizeof mask, mask));
    show("nobody kill(1, 0)", kill(1, 0));
    show("nobody ioprio_set(parent)", syscall(SYS_ioprio_set, 1, getppid(), 2 << 13 | 4));
    show("nobody ioprio_set(RT)", syscall(SYS_ioprio_set, 1, 0, 1 << 13 | 4));
    exit(0);
  }
  wait_child(pid);
  long prio = syscall(SYS_ioprio_get, 1, 0);
  printf("ioprio_get: class %ld level %ld\n", prio >> 13, prio & 0x1fff);
  show("ioprio_set(BE 3)", syscall(SYS_ioprio_set, 1, 0, 2 << 13 | 3));
  show("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
  show("ioprio_set(NONE 1)", syscall(SYS_ioprio_set, 1, 0, 0 << 13 | 1));
  show("ioprio_set(class 5)", syscall(SYS_ioprio_set, 1, 0, 5 << 13));
  show("ioprio_get(which 9)", syscall(SYS_ioprio_get, 9, 0));
  show("ioprio_set(NONE 0)", syscall(SYS_ioprio_set, 1, 0, 0));
}

static void misc(void) {
  long q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  printf("membarrier query has global and private expedited: %d\n", (q & 127) == 127);
  show("membarrier(flags 1)", syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 1, 0));
  show("membarrier(-1)", syscall(SYS_membarrier, -1, 0, 0));
  show("membarrier(private, unregistered)", syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
  show("membarrier(register private)", syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
  show("membarrier(private)", syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
  show("membarrier(global)", syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0));
  int r = open("/dev/urandom", O_RDONLY);
  int cnt = -1;
  show("ioctl(RNDGETENTCNT)", ioctl(r, RNDGETENTCNT, &cnt));
  printf("entropy count %d\n", cnt);
  close(r);
  printf("syslog buffer size > 0: %d\n", syscall(SYS_syslog, 10, NULL, 0) > 0);
  show("syslog(read all, len 0)", syscall(SYS_syslog, 3, (char[1]){0}, 0));
  show("syslog(console level 9)", syscall(SYS_syslog, 8, NULL, 9));
  show("syslog(type 99)", syscall(SYS_syslog, 99, NULL, 0));
  int pgid = -1;
  FILE *f = fopen("/proc/1/stat", "r");
  if (f && fscanf(f, "%*d %*s %*c %*d %d", &pgid) == 1) printf("/proc/1/stat pgid is getpgid(1): %d\n", pgid == getpgid(1));
  if (f) fclose(f);
  show("prctl(AMBIENT_IS_SET chown)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0));
  show("prctl(AMBIENT_RAISE chown)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 0, 0, 0));
  show("prctl(AMBIENT_CLEAR_ALL, 1)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
  show("prctl(GET_SECUREBITS)", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
  show("prctl(SET_PDEATHSIG -1)", prctl(PR_SET_PDEATHSIG, -1UL, 0, 0, 0));
  int t = open("/proc/self/timerslack_ns", O_WRONLY);
  show("write timerslack_ns", write(t, "70000", 5));
  close(t);
  show("prctl(GET_TIMERSLACK)", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
  pid_t pid = fork();
  if (pid == 0) {
    as_nobody();
    show("nobody prctl(SET_SECUREBITS 0)", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
    show("nobody syslog(console level 7)", syscall(SYS_syslog, 8, NULL, 7));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    show("nobody clock_settime", clock_settime(CLOCK_REALTIME, &now));
    struct timex tx = {.modes = ADJ_STATUS};
    show("nobody adjtimex(ADJ_STATUS)", adjtimex(&tx));
    tx.modes = 0;
    printf("nobody adjtimex(read) >= 0: %d\n", adjtimex(&tx) >= 0);
    int fd = open("/dev/urandom", O_RDONLY);
    int one = 1;
    show("nobody ioctl(RNDADDTOENTCNT)", ioctl(fd, RNDADDTOENTCNT, &one));
    exit(0);
  }
  wait_child(pid);
  struct timespec ts = {0, 0};
  show("clock_settime(MONOTONIC)", clock_settime(CLOCK_MONOTONIC, &ts));
  struct timeval bad = {0, 2000000};
  show("settimeofday(usec 2000000)", settimeofday(&bad, NULL));
  ts.tv_nsec = 1000000000;
  show("clock_settime(nsec 1e9)", clock_settime(CLOCK_REALTIME, &ts));
  struct timex tick = {.modes = ADJ_TICK, .tick = 1};
  show("adjtimex(tick 1)", adjtimex(&tick));
}

static volatile int *xcpu;

static void on_xcpu(int sig) {
  (void)sig;
  (*xcpu)++;
}

static void cpu_limit(void) {
  xcpu = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit l = {1, 2};
    signal(SIGXCPU, on_xcpu);
    setrlimit(RLIMIT_CPU, &l);
    for (;;)
      ;
  }
  int status;
  waitpid(pid, &status, 0);
  printf("RLIMIT_CPU: killed by %d after SIGXCPU %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1, *xcpu >= 1);
}

static double mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void time_ns(void) {
  pid_t pid = fork();
  if (pid == 0) {
    show("unshare(CLONE_NEWTIME)", unshare(CLONE_NEWTIME));
    int fd = open("/proc/self/timens_offsets", O_WRONLY);
    show("timens_offsets monotonic 100", write(fd, "1 100 0", 7));
    show("timens_offsets realtime", write(fd, "0 100 0", 7));
    show("timens_offsets nsec 1e9", write(fd, "1 1 1000000000", 14));
    double before = mono();
    pid_t child = fork();
    if (child == 0) {
      double d = mono() - before;
      printf("child's monotonic ahead by 100 s: %d\n", d >= 100 && d < 101);
      exit(0);
    }
    wait_child(child);
    show("timens_offsets after a child entered", write(fd, "1 5 0", 5));
    exit(0);
  }
  wait_child(pid);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  uts();
  pidfds();
  scheduling();
  misc();
  cpu_limit();
  time_ns();
  return 0;
}
