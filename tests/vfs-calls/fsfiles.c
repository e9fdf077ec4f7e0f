// File-system calls of the ltp-files work: statfs/fstatfs errors and the
// pseudo file systems' types, extended attributes, leases, mknod in a
// set-group-ID directory, RLIMIT_FSIZE, F_SETOWN_EX/F_SETSIG with O_ASYNC,
// chattr's immutable and append-only flags, and chroot with getcwd.
// With the argument "identity" it prints what the root file system says it
// is instead (statfs, /proc/mounts, mountinfo), which differs by design
// from the host's (the vitest checks that they agree with each other).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static void say(const char *what, long r) {
  if (r < 0) printf("%s = -1 %s\n", what, strerrorname_np(errno));
  else printf("%s = %ld\n", what, r);
}

static void statfs_calls(void) {
  struct statfs s;
  say("statfs missing", statfs("nothere", &s));
  say("statfs through a file", statfs("f/x", &s));
  say("statfs bad path", statfs((char *)8, &s));
  say("statfs bad buffer", syscall(SYS_statfs, ".", 8));
  say("fstatfs bad buffer", syscall(SYS_fstatfs, 0, 8));
  say("fstatfs closed", fstatfs(99, &s));
  statfs("/proc", &s);
  printf("/proc type %lx namelen %ld\n", (long)s.f_type, (long)s.f_namelen);
  int p[2];
  pipe(p);
  fstatfs(p[0], &s);
  printf("pipe type %lx\n", (long)s.f_type);
  int sk = socket(AF_UNIX, SOCK_STREAM, 0);
  fstatfs(sk, &s);
  printf("socket type %lx\n", (long)s.f_type);
  statfs(".", &s);
  printf(". bsize %ld namelen %ld\n", (long)s.f_bsize, (long)s.f_namelen);
  close(p[0]), close(p[1]), close(sk);
}

static void xattr_calls(void) {
  char buf[64];
  say("setxattr user.a create", setxattr("f", "user.a", "one", 3, XATTR_CREATE));
  say("setxattr user.a create again", setxattr("f", "user.a", "two", 3, XATTR_CREATE));
  say("setxattr user.b replace absent", setxattr("f", "user.b", "two", 3, XATTR_REPLACE));
  say("setxattr user.b", setxattr("f", "user.b", "bee", 3, 0));
  say("setxattr bad flags", setxattr("f", "user.c", "x", 1, 4));
  say("setxattr empty name", setxattr("f", "", "x", 1, 0));
  say("setxattr no namespace", setxattr("f", "plain", "x", 1, 0));
  say("setxattr too big", setxattr("f", "user.big", buf, 65537, 0));
  say("getxattr size query", getxattr("f", "user.a", NULL, 0));
  say("getxattr", getxattr("f", "user.a", buf, sizeof buf));
  printf("value %.3s\n", buf);
  say("getxattr small buffer", getxattr("f", "user.a", buf, 1));
  say("getxattr absent", getxattr("f", "user.zz", buf, sizeof buf));
  say("listxattr size", listxattr("f", NULL, 0));
  long n = listxattr("f", buf, sizeof buf);
  for (char *q = buf; q < buf + n; q += strlen(q) + 1) printf("name %s\n", q);
  say("listxattr small", listxattr("f", buf, 3));
  say("removexattr", removexattr("f", "user.a"));
  say("removexattr again", removexattr("f", "user.a"));
  say("setxattr on fifo", setxattr("fifo", "user.a", "x", 1, 0));
  say("getxattr on fifo", getxattr("fifo", "user.a", buf, sizeof buf));
  say("lsetxattr on symlink", lsetxattr("link", "user.a", "x", 1, 0));
  say("setxattr through symlink", setxattr("link", "user.l", "x", 1, 0));
  say("getxattr through symlink", getxattr("f", "user.l", buf, sizeof buf));
  say("setxattr trusted", setxattr("f", "trusted.t", "x", 1, 0));
  say("setxattr on dir", setxattr("d", "user.d", "x", 1, 0));
  int fd = open("f", O_RDONLY);
  say("fgetxattr", fgetxattr(fd, "user.b", buf, sizeof buf));
  say("flistxattr size", flistxattr(fd, NULL, 0));
  close(fd);
  fd = open("f", O_PATH);
  say("fgetxattr O_PATH", fgetxattr(fd, "user.b", buf, sizeof buf));
  close(fd);
  say("getxattr missing file", getxattr("nothere", "user.b", buf, sizeof buf));
}

static void leases(void) {
  int a = open("f", O_RDONLY);
  say("read lease alone", fcntl(a, F_SETLEASE, F_RDLCK));
  say("F_GETLEASE", fcntl(a, F_GETLEASE));
  say("unlock", fcntl(a, F_SETLEASE, F_UNLCK));
  int b = open("f", O_RDONLY);
  say("write lease with another reader", fcntl(a, F_SETLEASE, F_WRLCK));
  close(b);
  say("write lease alone", fcntl(a, F_SETLEASE, F_WRLCK));
  say("unlock", fcntl(a, F_SETLEASE, F_UNLCK));
  close(a);
  int w = open("f", O_RDWR);
  say("write lease on O_RDWR alone", fcntl(w, F_SETLEASE, F_WRLCK));
  say("unlock", fcntl(w, F_SETLEASE, F_UNLCK));
  say("read lease on O_RDWR", fcntl(w, F_SETLEASE, F_RDLCK));
  close(w);
}

static void mknod_sgid(void) {
  mkdir("sg", 0777);
  chown("sg", 0, 4242);
  chmod("sg", 02777);
  say("mknod fifo in sgid dir", mknod("sg/fifo", S_IFIFO | 02777, 0));
  struct stat st;
  stat("sg/fifo", &st);
  printf("fifo gid %d mode %o\n", st.st_gid, st.st_mode);
  mkdir("sg/sub", 0755);
  stat("sg/sub", &st);
  printf("subdir gid %d mode %o\n", st.st_gid, st.st_mode);
  say("mknod dir type", mknod("sg/x", S_IFDIR | 0777, 0));
}

static volatile int xfsz, io_sig;
static void on_sig(int s) {
  if (s == SIGXFSZ) xfsz++;
  else io_sig = s;
}

/* Run with the limit set and reported after it is lifted: stdout may be a file the limit would cut. */
static void fsize_limit(void) {
  signal(SIGXFSZ, on_sig);
  struct rlimit r = {100, RLIM_INFINITY};
  int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
  char buf[150] = {0};
  long got[6];
  int err[6], sigs[2];
  setrlimit(RLIMIT_FSIZE, &r);
#define TRY(i, call) (errno = 0, got[i] = (call), err[i] = errno)
  TRY(0, write(fd, buf, 150));
  TRY(1, write(fd, buf, 10));
  sigs[0] = xfsz;
  TRY(2, ftruncate(fd, 200));
  TRY(3, ftruncate(fd, 50));
  TRY(4, truncate("big", 101));
  sigs[1] = xfsz;
  r.rlim_cur = r.rlim_max = RLIM_INFINITY;
  setrlimit(RLIMIT_FSIZE, &r);
  const char *what[] = {"write 150 under limit 100", "write at the limit", "ftruncate past limit", "ftruncate shrink", "truncate past limit"};
  for (int i = 0; i < 5; i++) {
    errno = err[i];
    say(what[i], got[i]);
  }
  printf("SIGXFSZ %d then %d\n", sigs[0], sigs[1]);
  int ro = open("big", O_RDONLY);
  say("ftruncate read-only fd", ftruncate(ro, 10));
  close(ro), close(fd);
}

static void async_owner(void) {
  int p[2];
  pipe(p);
  struct f_owner_ex o;
  say("F_GETOWN_EX", fcntl(p[0], F_GETOWN_EX, &o));
  printf("owner type %d pid %d\n", o.type, o.pid);
  o.type = F_OWNER_PID;
  o.pid = getpid();
  say("F_SETOWN_EX pid", fcntl(p[0], F_SETOWN_EX, &o));
  say("F_GETOWN is us", fcntl(p[0], F_GETOWN) == getpid());
  o.type = 7;
  say("F_SETOWN_EX bad type", fcntl(p[0], F_SETOWN_EX, &o));
  say("F_SETSIG", fcntl(p[0], F_SETSIG, SIGUSR1));
  say("F_GETSIG", fcntl(p[0], F_GETSIG));
  say("F_SETSIG bad", fcntl(p[0], F_SETSIG, 999));
  signal(SIGUSR1, on_sig);
  say("F_SETFL O_ASYNC", fcntl(p[0], F_SETFL, O_ASYNC));
  say("F_GETFL has O_ASYNC", (fcntl(p[0], F_GETFL) & O_ASYNC) != 0);
  if (fork() == 0) {
    write(p[1], "x", 1);
    _exit(0);
  }
  wait(NULL);
  printf("signal after child's write %d\n", io_sig);
  close(p[0]), close(p[1]);
}

static void inode_flags(void) {
  int fd = open("frozen", O_RDWR | O_CREAT, 0644);
  int flags = 0;
  say("FS_IOC_GETFLAGS", ioctl(fd, FS_IOC_GETFLAGS, &flags));
  flags |= FS_IMMUTABLE_FL;
  say("FS_IOC_SETFLAGS immutable", ioctl(fd, FS_IOC_SETFLAGS, &flags));
  say("open immutable for writing", open("frozen", O_WRONLY));
  say("setxattr immutable", setxattr("frozen", "user.x", "x", 1, 0));
  flags &= ~FS_IMMUTABLE_FL;
  flags |= FS_APPEND_FL;
  say("FS_IOC_SETFLAGS append", ioctl(fd, FS_IOC_SETFLAGS, &flags));
  say("open append-only without O_APPEND", open("frozen", O_WRONLY));
  int a = open("frozen", O_WRONLY | O_APPEND);
  say("open append-only with O_APPEND", a >= 0);
  say("ftruncate append-only", ftruncate(fd, 0));
  flags = 0;
  say("FS_IOC_SETFLAGS clear", ioctl(fd, FS_IOC_SETFLAGS, &flags));
  close(a), close(fd);
  unlink("frozen");
}

static void chroot_calls(const char *dir) {
  say("chroot missing", chroot("nothere"));
  say("chroot file", chroot("f"));
  say("chroot bad pointer", chroot((char *)8));
  pid_t pid = fork();
  if (pid == 0) {
    say("chroot d", chroot("d"));
    char buf[PATH_MAX];
    getcwd(buf, sizeof buf);
    printf("getcwd after chroot starts with (unreachable): %d\n", strncmp(buf, "(unreachable)", 13) == 0);
    say("stat /inside", access("/inside", F_OK));
    say("chdir /", chdir("/"));
    say("chdir ..", chdir(".."));
    printf("getcwd %s\n", getcwd(buf, sizeof buf));
    say("stat /inside again", access("/inside", F_OK));
    say("stat ../../inside", access("../../inside", F_OK));
    long n = readlink("/proc/self/root", buf, sizeof buf);
    (void)n;
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  char buf[PATH_MAX];
  printf("parent getcwd unchanged: %d\n", strcmp(getcwd(buf, sizeof buf), dir) == 0);
}

static void identity(void) {
  struct statfs s;
  statfs(".", &s);
  printf("f_type %lx\n", (long)s.f_type);
  FILE *m = fopen("/proc/mounts", "r");
  char line[512];
  while (m && fgets(line, sizeof line, m))
    if (strstr(line, " / ")) printf("mounts %s", line);
  m = fopen("/proc/self/mountinfo", "r");
  while (m && fgets(line, sizeof line, m))
    if (strstr(line, " / / ")) printf("mountinfo %s", line);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  char dir[] = "/tmp/fsfiles-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) < 0) return 1;
  if (argc > 1 && strcmp(argv[1], "identity") == 0) {
    identity();
    rmdir(dir);
    return 0;
  }
  close(open("f", O_CREAT | O_RDWR, 0644));
  mkfifo("fifo", 0644);
  symlink("f", "link");
  mkdir("d", 0755);
  close(open("d/inside", O_CREAT | O_RDWR, 0644));
  statfs_calls();
  xattr_calls();
  leases();
  mknod_sgid();
  fsize_limit();
  async_owner();
  inode_flags();
  chroot_calls(dir);
  unlink("d/inside"), rmdir("d"), unlink("f"), unlink("fifo"), unlink("link"), unlink("big");
  unlink("sg/fifo"), rmdir("sg/sub"), rmdir("sg");
  chdir("/");
  say("rmdir", rmdir(dir));
  return 0;
}
