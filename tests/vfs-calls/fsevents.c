// inotify events from file operations, renameat2 (exchange, no-replace),
// SEEK_DATA/SEEK_HOLE on a sparse file, utimensat's times, readahead, file
// handles (name_to_handle_at, open_by_handle_at) and a lease broken by
// another process's open. Values that differ between file systems by
// design (handle sizes and types, inode numbers) are not printed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(const char *what, long r) {
  if (r < 0) printf("%s = -1 %s\n", what, strerrorname_np(errno));
  else printf("%s = %ld\n", what, r);
}

static const char *names[] = {"ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM", "MOVED_TO", "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF"};

static void drain(int in, const char *when) {
  char buf[4096] __attribute__((aligned(8)));
  long n = read(in, buf, sizeof buf);
  printf("%s:", when);
  if (n < 0) printf(" %s", strerrorname_np(errno));
  unsigned cookie = 0;
  for (char *p = buf; n > 0 && p < buf + n;) {
    struct inotify_event *e = (struct inotify_event *)p;
    printf(" [wd%d", e->wd);
    for (int i = 0; i < 12; i++)
      if (e->mask & (1u << i)) printf(" %s", names[i]);
    if (e->mask & IN_ISDIR) printf(" ISDIR");
    if (e->mask & IN_IGNORED) printf(" IGNORED");
    if (e->mask & IN_Q_OVERFLOW) printf(" OVERFLOW");
    if (e->len) printf(" %s", e->name);
    if (e->cookie) printf(cookie == 0 || cookie == e->cookie ? " cookie" : " othercookie"), cookie = e->cookie;
    printf("]");
    p += sizeof *e + e->len;
  }
  printf("\n");
}

static void inotify_calls(void) {
  say("inotify_init1 bad flags", inotify_init1(1));
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  say("F_GETFD cloexec", fcntl(in, F_GETFD));
  mkdir("w", 0755);
  close(open("w/f", O_CREAT | O_WRONLY, 0644));
  int wd = inotify_add_watch(in, "w", IN_ALL_EVENTS);
  int wf = inotify_add_watch(in, "w/f", IN_ALL_EVENTS);
  printf("watches %d %d\n", wd, wf);
  say("add_watch no events", inotify_add_watch(in, "w", 0));
  say("add_watch ONLYDIR on file", inotify_add_watch(in, "w/f", IN_ONLYDIR | IN_OPEN));
  say("add_watch missing", inotify_add_watch(in, "w/none", IN_OPEN));
  say("add_watch MASK_ADD|MASK_CREATE", inotify_add_watch(in, "w", IN_MASK_ADD | IN_MASK_CREATE | IN_OPEN));
  say("add_watch MASK_CREATE existing", inotify_add_watch(in, "w", IN_MASK_CREATE | IN_OPEN));
  say("add_watch on non-inotify fd", inotify_add_watch(0, "w", IN_OPEN));
  drain(in, "nothing yet");
  char small[8];
  int fd = open("w/f", O_RDWR);
  say("read into a too small buffer", read(in, small, sizeof small));
  write(fd, "abc", 3);
  lseek(fd, 0, SEEK_SET);
  read(fd, small, 3);
  fchmod(fd, 0600);
  close(fd);
  drain(in, "open write read chmod close");
  close(open("w/g", O_CREAT | O_RDONLY, 0644));
  rename("w/g", "w/h");
  mkdir("w/sub", 0755);
  rmdir("w/sub");
  drain(in, "create rename mkdir rmdir");
  unlink("w/f");
  drain(in, "unlink the watched file");
  say("rm_watch removed wd", inotify_rm_watch(in, wf));
  say("rm_watch dir", inotify_rm_watch(in, wd));
  drain(in, "after rm_watch");
  int one = inotify_add_watch(in, "w/h", IN_OPEN | IN_ONESHOT);
  close(open("w/h", O_RDONLY));
  close(open("w/h", O_RDONLY));
  printf("oneshot wd %d\n", one);
  drain(in, "oneshot");
  unlink("w/h");
  rmdir("w");
  close(in);
}

static void rename2(void) {
  close(open("a", O_CREAT | O_WRONLY, 0644));
  int fd = open("b", O_CREAT | O_WRONLY, 0644);
  write(fd, "bee", 3);
  close(fd);
  say("RENAME_NOREPLACE onto existing", renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
  say("RENAME_EXCHANGE", renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE));
  struct stat st;
  stat("a", &st);
  printf("a size %ld\n", (long)st.st_size);
  say("RENAME_EXCHANGE with a missing target", renameat2(AT_FDCWD, "a", AT_FDCWD, "zz", RENAME_EXCHANGE));
  say("EXCHANGE|NOREPLACE", renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE | RENAME_NOREPLACE));
  say("unknown flag", renameat2(AT_FDCWD, "a", AT_FDCWD, "b", 8));
  mkdir("d1", 0755);
  close(open("d1/in1", O_CREAT | O_WRONLY, 0644));
  say("RENAME_EXCHANGE file and directory", renameat2(AT_FDCWD, "a", AT_FDCWD, "d1", RENAME_EXCHANGE));
  say("a/in1 exists", access("a/in1", F_OK));
  unlink("a/in1"), rmdir("a"), unlink("b"), unlink("d1");
}

static void holes(void) {
  int fd = open("sparse", O_CREAT | O_RDWR, 0644);
  pwrite(fd, "x", 1, 0);
  pwrite(fd, "y", 1, 40960);
  pwrite(fd, "z", 1, 81920);
  say("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
  say("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
  say("SEEK_DATA 5000", lseek(fd, 5000, SEEK_DATA));
  say("SEEK_HOLE 40961", lseek(fd, 40961, SEEK_HOLE));
  say("SEEK_DATA 45000", lseek(fd, 45000, SEEK_DATA));
  say("SEEK_HOLE 81920", lseek(fd, 81920, SEEK_HOLE));
  say("SEEK_DATA past the end", lseek(fd, 81921, SEEK_DATA));
  fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 40960, 4096);
  say("SEEK_DATA 5000 after punching the middle", lseek(fd, 5000, SEEK_DATA));
  ftruncate(fd, 200000);
  say("SEEK_HOLE 81920 after growing", lseek(fd, 81920, SEEK_HOLE));
  say("SEEK_DATA 90000 after growing", lseek(fd, 90000, SEEK_DATA));
  close(fd);
  unlink("sparse");
}

static void times(void) {
  close(open("t", O_CREAT | O_WRONLY, 0644));
  struct timespec ts[2] = {{1000000000, 5}, {1200000000, 7}};
  say("utimensat explicit", utimensat(AT_FDCWD, "t", ts, 0));
  struct stat st;
  stat("t", &st);
  printf("atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
  ts[0].tv_nsec = UTIME_OMIT;
  ts[1].tv_sec = 1300000000;
  say("utimensat omit atime", utimensat(AT_FDCWD, "t", ts, 0));
  stat("t", &st);
  printf("atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
  ts[1].tv_nsec = 1000000000;
  say("utimensat bad nsec", utimensat(AT_FDCWD, "t", ts, 0));
  say("utimensat bad flags", utimensat(AT_FDCWD, "t", NULL, 0x4));
  say("utimensat NULL path AT_FDCWD", syscall(__NR_utimensat, AT_FDCWD, NULL, NULL, 0));
  mkdir("td", 0755);
  struct timespec dt[2] = {{1100000000, 0}, {1150000000, 0}};
  say("utimensat on a directory", utimensat(AT_FDCWD, "td", dt, 0));
  stat("td", &st);
  printf("dir atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
  rmdir("td");
  unlink("t");
}

static void readahead_calls(void) {
  int fd = open("ra", O_CREAT | O_RDWR, 0644);
  say("readahead file", readahead(fd, 0, 4096));
  int p[2];
  pipe(p);
  say("readahead pipe", readahead(p[0], 0, 4096));
  say("readahead write end", readahead(p[1], 0, 4096));
  say("readahead closed", readahead(99, 0, 4096));
  int d = open(".", O_RDONLY);
  say("readahead directory", readahead(d, 0, 4096));
  close(fd), close(p[0]), close(p[1]), close(d);
  unlink("ra");
}

static void handles(void) {
  int fd = open("h", O_CREAT | O_RDWR, 0644);
  write(fd, "handled", 7);
  close(fd);
  struct file_handle *fh = malloc(sizeof *fh + 128);
  int mnt;
  fh->handle_bytes = 0;
  say("name_to_handle_at size 0", name_to_handle_at(AT_FDCWD, "h", fh, &mnt, 0));
  printf("needed bytes > 0: %d\n", fh->handle_bytes > 0);
  fh->handle_bytes = 129;
  say("name_to_handle_at size 129", name_to_handle_at(AT_FDCWD, "h", fh, &mnt, 0));
  fh->handle_bytes = 128;
  say("name_to_handle_at bad flags", name_to_handle_at(AT_FDCWD, "h", fh, &mnt, 0x8000));
  say("name_to_handle_at", name_to_handle_at(AT_FDCWD, "h", fh, &mnt, 0));
  int back = open_by_handle_at(AT_FDCWD, fh, O_RDONLY);
  char buf[16] = {0};
  read(back, buf, sizeof buf - 1);
  printf("open_by_handle_at read [%s]\n", buf);
  close(back);
  unlink("h");
  say("open_by_handle_at after unlink", open_by_handle_at(AT_FDCWD, fh, O_RDONLY));
  fh->handle_bytes = 0;
  say("open_by_handle_at size 0", open_by_handle_at(AT_FDCWD, fh, O_RDONLY));
  say("open_by_handle_at bad fd", open_by_handle_at(99, fh, O_RDONLY));
  free(fh);
}

static void lease_break(void) {
  close(open("leased", O_CREAT | O_WRONLY, 0644));
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGIO);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int fd = open("leased", O_RDONLY);
  say("write lease", fcntl(fd, F_SETLEASE, F_WRLCK));
  pid_t pid = fork();
  if (pid == 0) {
    int w = open("leased", O_WRONLY);
    printf("child blocking open: %s\n", w < 0 ? strerrorname_np(errno) : "opened");
    _exit(0);
  }
  struct timespec wait = {10, 0};
  say("sigtimedwait SIGIO", sigtimedwait(&set, NULL, &wait));
  say("F_GETLEASE while breaking", fcntl(fd, F_GETLEASE));
  say("downgrade to read while a writer waits", fcntl(fd, F_SETLEASE, F_RDLCK));
  say("unlock", fcntl(fd, F_SETLEASE, F_UNLCK));
  waitpid(pid, NULL, 0);
  say("read lease again", fcntl(fd, F_SETLEASE, F_RDLCK));
  int r = open("leased", O_RDONLY | O_NONBLOCK);
  printf("second reader: %s\n", r < 0 ? strerrorname_np(errno) : "opened");
  close(r);
  say("write lease again", fcntl(fd, F_SETLEASE, F_WRLCK));
  pid = fork();
  if (pid == 0) {
    int w = open("leased", O_WRONLY | O_NONBLOCK);
    printf("child non-blocking open: %s\n", w < 0 ? strerrorname_np(errno) : "opened");
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  say("sigtimedwait SIGIO again", sigtimedwait(&set, NULL, &wait));
  say("unlock", fcntl(fd, F_SETLEASE, F_UNLCK));
  close(fd);
  unlink("leased");
}

static void devices(void) {
  char b[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  int full = open("/dev/full", O_RDWR);
  say("read /dev/full", read(full, b, sizeof b));
  printf("zeros %d\n", b[0] == 0 && b[7] == 0);
  say("write /dev/full", write(full, b, sizeof b));
  close(full);
  int p[2];
  pipe(p);
  say("read 0 bytes of an empty pipe", read(p[0], b, 0));
  close(p[0]), close(p[1]);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  char dir[] = "/tmp/fsevents-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) < 0) return 1;
  inotify_calls();
  rename2();
  holes();
  times();
  readahead_calls();
  handles();
  lease_break();
  devices();
  chdir("/");
  say("rmdir", rmdir(dir));
  return 0;
}
