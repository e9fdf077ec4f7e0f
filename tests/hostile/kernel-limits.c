// More of Linux's limits, one part per argument, each printing facts that
// hold on any Linux (the host kernel is the oracle: build.sh records the
// x86_64 build's output as kernel-limits.golden):
//   e2big     execve's argument and environment strings against RLIMIT_STACK
//             (a quarter of it, at least 32 pages, at most 3/4 of 8 MiB,
//             pointers included; the strings alone within the limit itself,
//             as the stack they are copied to grows) and one string against
//             32 pages
//   rtkill    kill() of a real-time signal past RLIMIT_SIGPENDING is not
//             refused: it stays pending once, its later copies are lost
//   timers    each POSIX timer holds a signal queue entry: timer_create
//             answers EAGAIN past RLIMIT_SIGPENDING
//   inotify   fs.inotify.max_user_instances (128): inotify_init1 EMFILE
//   enfile    fs.file-max (lowered to 200; not run on the host, whose
//             table it would change): unprivileged opens past it ENFILE,
//             root's pass; fs.file-nr counts the open files
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *err(int e) {
  switch (e) {
  case 0: return "ok";
  case E2BIG: return "E2BIG";
  case EAGAIN: return "EAGAIN";
  case EMFILE: return "EMFILE";
  case ENFILE: return "ENFILE";
  case ENOMEM: return "ENOMEM";
  default: return strerror(e);
  }
}

static const char *self = "/proc/self/exe";

/* Runs self with argv {"c"} and envc copies of a string of len bytes (the last one last_len bytes): 0 when execve took them, else its errno. */
static int try_exec(long envc, long len, long last_len) {
  static char *envp[2000000];
  char *s = malloc(len + 1), *t = malloc(last_len + 1);
  memset(s, 'e', len); s[len] = 0;
  memset(t, 'f', last_len); t[last_len] = 0;
  for (long i = 0; i < envc; i++) envp[i] = i == envc - 1 ? t : s;
  envp[envc] = 0;
  /* The child reports a failed execve through a pipe that a successful one closes (what the new program then does does not matter). */
  int p[2];
  pipe2(p, O_CLOEXEC);
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {"c", 0};
    execve(self, argv, envp);
    int e = errno;
    write(p[1], &e, sizeof e);
    _exit(0);
  }
  close(p[1]);
  int e = 0;
  if (read(p[0], &e, sizeof e) != sizeof e) e = 0;
  close(p[0]);
  waitpid(pid, 0, 0);
  free(s);
  free(t);
  return e;
}

/* The most string bytes (NULs included) an exec takes under a stack limit: bisection over the count of 4000-byte strings, then the last one's length. */
static void e2big_at(rlim_t stack, const char *name) {
  struct rlimit r = {stack, RLIM_INFINITY};
  if (setrlimit(RLIMIT_STACK, &r) != 0) printf("setrlimit: %s\n", err(errno));
  const long piece = 4000;
  long lo = 0, hi = 4000; /* pieces: lo accepted (with an empty last string), hi refused */
  while (hi - lo > 1) {
    long mid = (lo + hi) / 2;
    if (try_exec(mid + 1, piece, 0) == 0) lo = mid; else hi = mid;
  }
  long n = lo;
  long llo = 0, lhi = piece + 1; /* the last string: llo accepted, lhi refused */
  while (lhi - llo > 1) {
    long mid = (llo + lhi) / 2;
    if (try_exec(n + 1, piece, mid) == 0) llo = mid; else lhi = mid;
  }
  int e = try_exec(n + 1, piece, lhi);
  /* Strings: the file name, argv[0] "c", n pieces and the last one, each with its NUL; pointers: argc + envc of them. */
  long strings = (long)strlen(self) + 1 + 2 + n * (piece + 1) + llo + 1;
  long pointers = (1 + n + 1) * 8;
  printf("e2big %s: accepted up to %ld bytes of strings with %ld of pointers (%ld in all), one more byte %s\n", name, strings, pointers, strings + pointers, err(e));
}

static void e2big(void) {
  e2big_at(16 * 1024, "RLIMIT_STACK 16K");
  e2big_at(64 * 1024, "RLIMIT_STACK 64K");
  e2big_at(600000, "RLIMIT_STACK 600000");
  e2big_at(1024 * 1024, "RLIMIT_STACK 1M");
  e2big_at(8 * 1024 * 1024, "RLIMIT_STACK 8M");
  e2big_at(RLIM_INFINITY, "RLIMIT_STACK unlimited");
  struct rlimit r = {8 * 1024 * 1024, RLIM_INFINITY};
  setrlimit(RLIMIT_STACK, &r);
  /* One string: 32 pages with its NUL pass, one byte more does not. */
  printf("e2big: one string of 131071 bytes %s, of 131072 %s\n", err(try_exec(1, 131071, 131071)), err(try_exec(1, 131072, 131072)));
  /* Pointers alone: empty strings under the 128 KiB floor (RLIMIT_STACK 64K). */
  r.rlim_cur = 64 * 1024;
  setrlimit(RLIMIT_STACK, &r);
  long lo = 1, hi = 20000;
  while (hi - lo > 1) {
    long mid = (lo + hi) / 2;
    if (try_exec(mid, 0, 0) == 0) lo = mid; else hi = mid;
  }
  printf("e2big: at most %ld empty environment strings under RLIMIT_STACK 64K\n", lo);
  r.rlim_cur = 8 * 1024 * 1024;
  setrlimit(RLIMIT_STACK, &r);
}

/* Runs part in a child as nobody: RLIMIT_SIGPENDING counts the queued signals of every process of the user. */
static void as_nobody(void (*part)(void)) {
  pid_t pid = fork();
  if (pid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) perror("setuid");
    part();
    _exit(0);
  }
  waitpid(pid, 0, 0);
}

static void rtkill(void) {
  struct rlimit r = {100, 100};
  setrlimit(RLIMIT_SIGPENDING, &r);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN + 2);
  sigprocmask(SIG_BLOCK, &s, 0);
  union sigval v = {0};
  int queued = 0, killed = 0;
  while (queued < 1000 && sigqueue(getpid(), SIGRTMIN + 2, v) == 0) queued++;
  int qerr = errno;
  while (killed < 1000 && kill(getpid(), SIGRTMIN + 2) == 0) killed++;
  int delivered = 0;
  struct timespec zero = {0, 0};
  siginfo_t info;
  int from_kill = 0;
  while (sigtimedwait(&s, &info, &zero) == SIGRTMIN + 2) {
    delivered++;
    if (info.si_code == SI_USER) from_kill++;
  }
  printf("rtkill: sigqueue %d then %s; kill %d all succeed; %d delivered, %d of them from kill\n", queued, err(qerr), killed, delivered, from_kill);
  /* The limit reached, kill of a signal not yet pending: it is delivered once, without its sender (the info was lost). */
  while (queued-- > 0) sigqueue(getpid(), SIGRTMIN + 2, v);
  sigaddset(&s, SIGRTMIN + 4);
  sigprocmask(SIG_BLOCK, &s, 0);
  for (int i = 0; i < 10; i++) kill(getpid(), SIGRTMIN + 4);
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN + 4);
  int n4 = 0, code = 99, pid = -1;
  while (sigtimedwait(&s, &info, &zero) == SIGRTMIN + 4) { n4++; code = info.si_code; pid = info.si_pid; }
  printf("rtkill: at the limit, 10 kills of another real-time signal: %d delivered, si_code %d, si_pid %s\n", n4, code, pid == getpid() ? "the sender" : pid == 0 ? "0" : "other");
  sigaddset(&s, SIGRTMIN + 2);
  sigprocmask(SIG_UNBLOCK, &s, 0);
  r.rlim_cur = r.rlim_max = RLIM_INFINITY;
  setrlimit(RLIMIT_SIGPENDING, &r);
}

static void timers(void) {
  struct rlimit r = {50, 50};
  setrlimit(RLIMIT_SIGPENDING, &r);
  static timer_t ids[200];
  int n = 0;
  while (n < 200 && timer_create(CLOCK_MONOTONIC, 0, &ids[n]) == 0) n++;
  int e = errno;
  /* A sigqueue entry is one of the 50 too. */
  timer_delete(ids[--n]);
  union sigval v = {0};
  signal(SIGRTMIN + 3, SIG_IGN);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN + 3);
  sigprocmask(SIG_BLOCK, &s, 0);
  int q1 = sigqueue(getpid(), SIGRTMIN + 3, v) == 0;
  errno = 0;
  int q2 = sigqueue(getpid(), SIGRTMIN + 3, v) == 0;
  printf("timers: %d created, then %s; with one deleted, sigqueue %s then %s\n", n + 1, err(e), q1 ? "ok" : "refused", q2 ? "ok" : err(errno));
  struct timespec zero = {0, 0};
  while (sigtimedwait(&s, 0, &zero) > 0) {}
  for (int i = 0; i < n; i++) timer_delete(ids[i]);
  errno = 0;
  int again = timer_create(CLOCK_MONOTONIC, 0, &ids[0]);
  printf("timers: after deleting them all, timer_create %s\n", again == 0 ? "ok" : err(errno));
  timer_delete(ids[0]);
  r.rlim_cur = r.rlim_max = RLIM_INFINITY;
  setrlimit(RLIMIT_SIGPENDING, &r);
}

static void inotify(void) {
  int n = 0, fd;
  while (n < 1000 && (fd = inotify_init1(0)) >= 0) n++;
  int e = errno;
  /* Instances other processes of this user hold count too: print only that a limit came, and its error. */
  printf("inotify: instances refused after at most 128: %s, %s\n", n <= 128 ? "yes" : "no", err(e));
}

static int write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -errno;
  int r = write(fd, text, strlen(text)) < 0 ? -errno : 0;
  close(fd);
  return r;
}

static int open_until_refused(int max) {
  int n = 0;
  while (n < max && open("/dev/null", O_RDONLY) >= 0) n++;
  return n;
}

static void enfile(void) {
  struct rlimit r = {4096, 4096};
  setrlimit(RLIMIT_NOFILE, &r);
  if (write_text("/proc/sys/fs/file-max", "200\n") != 0) { printf("enfile: cannot lower file-max: %s\n", err(errno)); return; }
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) perror("setuid");
    int n = open_until_refused(1000);
    int e = errno;
    printf("enfile: as nobody, %s after at most 200 open files in the system: %s\n", n < 200 ? "refused" : "NOT refused", err(e));
    /* The same description in many descriptors counts once. */
    close(3);
    int d = 0;
    while (d < 100 && dup(4) >= 0) d++;
    printf("enfile: dup of an open file still works: %d of 100\n", d);
    _exit(0);
  }
  waitpid(pid, 0, 0);
  int n = open_until_refused(400);
  printf("enfile: as root, %d more opens pass (CAP_SYS_ADMIN), then %s\n", n, n == 400 ? "stopped" : err(errno));
  FILE *f = fopen("/proc/sys/fs/file-nr", "r");
  long used = 0, unused = -1, max = 0;
  if (f && fscanf(f, "%ld %ld %ld", &used, &unused, &max) == 3) printf("enfile: file-nr shows at least 400 open: %s, %ld free, max %ld\n", used >= 400 ? "yes" : "no", unused, max);
  if (f) fclose(f);
  for (int fd = 3; fd < 4096; fd++) close(fd);
}

int main(int argc, char **argv) {
  if (argc == 1 && argv[0][0] == 'c' && argv[0][1] == 0) return 0;
  setvbuf(stdout, 0, _IONBF, 0);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "e2big")) e2big();
    else if (!strcmp(a, "rtkill")) as_nobody(rtkill);
    else if (!strcmp(a, "timers")) as_nobody(timers);
    else if (!strcmp(a, "inotify")) inotify();
    else if (!strcmp(a, "enfile")) enfile();
    else printf("unknown part %s\n", a);
  }
  return 0;
}
