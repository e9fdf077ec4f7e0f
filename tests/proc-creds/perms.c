/* Permission checks under changing credentials. Starts as root, builds a
 * tree of files and directories in a fresh directory under /tmp, then in
 * child processes drops to uid/gid 65534 (and other mixes of real,
 * effective and filesystem ids) and prints what each call answers. The
 * output is the same under Linux (qemu-aarch64 as root) and salty. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

static const char *err(int r) {
  static char buf[32];
  if (r >= 0) return "ok";
  switch (errno) {
  case EACCES: return "EACCES";
  case EPERM: return "EPERM";
  case ENOENT: return "ENOENT";
  case EINVAL: return "EINVAL";
  case EEXIST: return "EEXIST";
  case ENOEXEC: return "ENOEXEC";
  default: snprintf(buf, sizeof buf, "errno %d", errno); return buf;
  }
}

#define SHOW(what, call) do { int r_ = (call); printf("%-44s %s\n", what, err(r_)); if (r_ >= 0 && strstr(#call, "open")) close(r_); } while (0)

static void touch(const char *path, int mode, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) { perror(path); exit(1); }
  if (text) write(fd, text, strlen(text));
  close(fd);
  chmod(path, mode);
}

static void owner(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) { printf("%-20s %s\n", path, err(-1)); return; }
  printf("%-20s mode %04o uid %u gid %u\n", path, st.st_mode & 07777, st.st_uid, st.st_gid);
}

static void drop_to_nobody(void) {
  if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0) { perror("drop"); exit(1); }
}

static void as_nobody(void) {
  uid_t r, e, s;
  getresuid(&r, &e, &s);
  printf("nobody: uid %u %u %u groups %d\n", r, e, s, getgroups(0, NULL));
  SHOW("access f600 R_OK", access("f600", R_OK));
  SHOW("access f644 R_OK", access("f644", R_OK));
  SHOW("access f644 W_OK", access("f644", W_OK));
  SHOW("access f666 W_OK", access("f666", W_OK));
  SHOW("access fx X_OK", access("fx", X_OK));
  SHOW("access fnox X_OK", access("fnox", X_OK));
  SHOW("access d700/inner F_OK", access("d700/inner", F_OK));
  SHOW("open f600 O_RDONLY", open("f600", O_RDONLY));
  SHOW("open f644 O_RDWR", open("f644", O_RDWR));
  SHOW("open f644 O_RDONLY|O_TRUNC", open("f644", O_RDONLY | O_TRUNC));
  SHOW("open f666 O_WRONLY", open("f666", O_WRONLY));
  SHOW("open d700 O_RDONLY", open("d700", O_RDONLY | O_DIRECTORY));
  SHOW("open d755/new O_CREAT", open("d755/new", O_WRONLY | O_CREAT, 0644));
  SHOW("open sticky/mine O_CREAT mode 0", open("sticky/mine", O_RDWR | O_CREAT | O_EXCL, 0));
  owner("sticky/mine");
  SHOW("unlink sticky/rootfile", unlink("sticky/rootfile"));
  SHOW("unlink d755/inner", unlink("d755/inner"));
  SHOW("rename sticky/userfile sticky/renamed", rename("sticky/userfile", "sticky/renamed"));
  SHOW("rename sticky/rootfile sticky/x", rename("sticky/rootfile", "sticky/x"));
  SHOW("unlink sticky/mine", unlink("sticky/mine"));
  SHOW("mkdir d555/sub", mkdir("d555/sub", 0755));
  SHOW("mkdir sticky/sub", mkdir("sticky/sub", 0755));
  SHOW("rmdir sticky/sub", rmdir("sticky/sub"));
  SHOW("symlink in d755", symlink("x", "d755/link"));
  SHOW("chmod f644 0777 (not owner)", chmod("f644", 0777));
  SHOW("chmod sticky/renamed 0600 (owner)", chmod("sticky/renamed", 0600));
  SHOW("chown sticky/renamed to root", chown("sticky/renamed", 0, -1));
  SHOW("chown sticky/renamed group 0", chown("sticky/renamed", -1, 0));
  SHOW("chown sticky/renamed -1 -1", chown("sticky/renamed", -1, -1));
  SHOW("chown sticky/renamed group nobody", chown("sticky/renamed", -1, NOBODY));
  owner("sticky/renamed");
  char *argv[] = {"fnox", NULL};
  SHOW("execve fnox (no x bit)", execve("./fnox", argv, NULL));
  SHOW("setuid 0", setuid(0));
  SHOW("setgid 0", setgid(0));
  SHOW("setgroups", setgroups(0, NULL));
  SHOW("setreuid -1 0", setreuid(-1, 0));
  SHOW("setresuid 0 -1 -1", setresuid(0, -1, -1));
  printf("setfsuid 0 -> %d\n", setfsuid(0));
  printf("setfsuid -1 -> %d\n", setfsuid(-1));
}

/* Real uid nobody, effective root: access() checks the real ids, AT_EACCESS the effective ones. */
static void split_ids(void) {
  if (setreuid(NOBODY, 0) < 0) { perror("setreuid"); exit(1); }
  uid_t r, e, s;
  getresuid(&r, &e, &s);
  printf("split: uid %u %u %u\n", r, e, s);
  SHOW("access f600 R_OK (real nobody)", access("f600", R_OK));
  SHOW("faccessat f600 R_OK AT_EACCESS", faccessat(AT_FDCWD, "f600", R_OK, AT_EACCESS));
  SHOW("open f600 O_RDONLY (effective root)", open("f600", O_RDONLY));
  /* Effective uid leaves 0 while the saved one stays: privileges go, and come back with seteuid(0). */
  SHOW("setresuid -1 nobody 0", setresuid(-1, NOBODY, 0));
  SHOW("open f600 O_RDONLY", open("f600", O_RDONLY));
  SHOW("seteuid 0", seteuid(0));
  SHOW("open f600 O_RDONLY again", open("f600", O_RDONLY));
  /* fsuid alone: root's filesystem capabilities follow it. */
  printf("setfsuid nobody -> %d\n", setfsuid(NOBODY));
  SHOW("open f600 O_RDONLY (fsuid nobody)", open("f600", O_RDONLY));
  SHOW("open fsfile O_CREAT", open("fsfile", O_WRONLY | O_CREAT, 0600));
  owner("fsfile");
  printf("setfsuid 0 -> %d\n", setfsuid(0));
  SHOW("open f600 O_RDONLY (fsuid 0)", open("f600", O_RDONLY));
  /* All three uids leave 0: the capabilities are gone for good. */
  SHOW("setresuid nobody nobody nobody", setresuid(NOBODY, NOBODY, NOBODY));
  SHOW("setresuid 0 0 0", setresuid(0, 0, 0));
}

static void in_child(void (*fn)(void), int drop) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    if (drop) drop_to_nobody();
    fn();
    fflush(stdout);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("child status %d\n", WEXITSTATUS(status));
}

int main(void) {
  char dir[] = "/tmp/salty-perms-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) < 0) { perror("tmpdir"); return 1; }
  chmod(dir, 0755);
  printf("umask was %03o\n", umask(0));
  mkdir("d755", 0755);
  mkdir("d700", 0700);
  mkdir("d555", 0555);
  mkdir("sticky", 01777);
  touch("f600", 0600, "secret\n");
  touch("f644", 0644, "public\n");
  touch("f666", 0666, NULL);
  touch("fx", 0755, "#!/bin/true\n");
  touch("fnox", 0644, "#!/bin/true\n");
  touch("d755/inner", 0644, NULL);
  touch("d700/inner", 0644, NULL);
  touch("sticky/rootfile", 0644, NULL);
  touch("sticky/userfile", 0644, NULL);
  SHOW("chown sticky/userfile nobody", chown("sticky/userfile", NOBODY, NOBODY));
  touch("fsuid", 06755, NULL);
  SHOW("chown fsuid 0 0 (root)", chown("fsuid", 0, 0));
  touch("fsgid", 02745, NULL);
  SHOW("lchown fsgid -1 -1", lchown("fsgid", -1, -1));
  SHOW("symlink lnk", symlink("f644", "lnk"));
  SHOW("lchown lnk 12 34", lchown("lnk", 12, 34));
  SHOW("fchownat f644 AT_SYMLINK_NOFOLLOW 56 78", fchownat(AT_FDCWD, "f644", 56, 78, AT_SYMLINK_NOFOLLOW));
  SHOW("fchownat bad flags", fchownat(AT_FDCWD, "f644", 1, 1, 0x4000));
  int fd = open("f666", O_RDONLY);
  SHOW("fchown f666 90 91", fchown(fd, 90, 91));
  SHOW("fchmod f666 0606", fchmod(fd, 0606));
  close(fd);
  SHOW("fchown f666 -1 -1", chown("f666", -1, -1));
  SHOW("chmod f666 back", chmod("f666", 0666));
  const char *names[] = {"d755", "d700", "sticky", "f600", "f644", "fx", "fsuid", "fsgid", "lnk", "f666", "sticky/userfile"};
  for (unsigned i = 0; i < sizeof names / sizeof *names; i++) owner(names[i]);
  umask(022);
  SHOW("creat um 0666 under umask 022", creat("um", 0666));
  owner("um");
  printf("umask(027) -> %03o\n", umask(027));
  printf("umask(022) -> %03o\n", umask(022));
  in_child(as_nobody, 1);
  in_child(split_ids, 0);
  /* Cleanup as root (the tree stays in salty's memory layer only). */
  const char *rm[] = {"d755/inner", "d700/inner", "sticky/rootfile", "sticky/renamed", "sticky/x", "f600", "f644", "f666", "fx", "fnox", "fsuid", "fsgid", "lnk", "um", "fsfile", "d755/new", "d755/link"};
  for (unsigned i = 0; i < sizeof rm / sizeof *rm; i++) unlink(rm[i]);
  rmdir("d755"); rmdir("d700"); rmdir("d555"); rmdir("sticky/sub"); rmdir("sticky");
  chdir("/");
  printf("cleanup %s\n", rmdir(dir) == 0 ? "ok" : err(-1));
  return 0;
}
