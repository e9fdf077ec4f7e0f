// A file bomb: writes 1 MiB blocks into the writable layer until it is
// refused, then fills the inode table with empty files. Checks what statfs
// promised against what fit, and that deleting gives the space back.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static char block[1 << 20];

static struct statfs fs(void) {
  struct statfs s;
  statfs("/tmp", &s);
  return s;
}

int main(int argc, char **argv) {
  char dir[64], path[256];
  (void)argc;
  (void)argv;
  setvbuf(stdout, 0, _IONBF, 0);
  // A directory of its own, so no file of the host's /tmp is reused.
  snprintf(dir, sizeof dir, "/tmp/salty-filebomb-%d", getpid());
  if (mkdir(dir, 0700) != 0) perror("mkdir");
  memset(block, 0xa5, sizeof block);
  struct statfs before = fs();
  snprintf(path, sizeof path, "%s/bomb", dir);
  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
  long long total = 0;
  ssize_t n;
  while ((n = write(fd, block, sizeof block)) > 0) total += n;
  int e = errno;
  struct statfs full = fs();
  printf("filebomb: %s after %lld KiB; statfs promised %lld KiB; now %lld KiB free\n", e == ENOSPC ? "ENOSPC" : strerror(e), total / 1024, (long long)before.f_bavail * before.f_bsize / 1024, (long long)full.f_bavail * full.f_bsize / 1024);
  errno = 0;
  int f = fallocate(fd, 0, total, 1 << 20);
  printf("filebomb: fallocate on a full layer %d %s\n", f, errno == ENOSPC ? "ENOSPC" : strerror(errno));
  close(fd);
  unlink(path);
  struct statfs after = fs();
  printf("filebomb: deleted: free space %s\n", after.f_bfree == before.f_bfree ? "back to what it was" : "not given back");
  int files = 0;
  for (;; files++) {
    snprintf(path, sizeof path, "%s/f%d", dir, files);
    int g = open(path, O_CREAT | O_WRONLY, 0600);
    if (g < 0) break;
    close(g);
  }
  e = errno;
  errno = 0;
  snprintf(path, sizeof path, "%s/dir", dir);
  int m = mkdir(path, 0700);
  printf("filebomb: %s after %d files (statfs promised %lld inodes); mkdir %d %s\n", e == ENOSPC ? "ENOSPC" : strerror(e), files, (long long)after.f_ffree, m, errno == ENOSPC ? "ENOSPC" : strerror(errno));
  for (int i = 0; i < files; i++) {
    snprintf(path, sizeof path, "%s/f%d", dir, i);
    unlink(path);
  }
  struct statfs end = fs();
  printf("filebomb: deleted: inodes %s\n", end.f_ffree == before.f_ffree ? "back to what they were" : "not given back");
  rmdir(dir);
  return 0;
}
