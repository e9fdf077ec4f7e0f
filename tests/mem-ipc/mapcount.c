// vm.max_map_count: lowered to 100, mmap succeeds while the process has at
// most that many mappings and then answers ENOMEM; a munmap that would
// split a mapping at the limit is refused (ENOMEM), one at the end of a
// mapping is not. Run on salty only: lowering the limit on a shared host
// would make other processes' mmaps fail.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int mappings(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  int n = 0, c;
  while ((c = fgetc(f)) != EOF) n += c == '\n';
  fclose(f);
  return n;
}

int main(void) {
  int fd = open("/proc/sys/vm/max_map_count", O_WRONLY);
  if (fd < 0 || write(fd, "100", 3) != 3) return 1;
  close(fd);
  unsigned long addr = 0x10000000UL;
  char *first = 0;
  int made = 0, err = 0;
  for (;;) {
    char *p = mmap((void *)addr, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) {
      err = errno;
      break;
    }
    if (!first) first = p;
    made++;
    addr += 6 * 4096;
  }
  printf("stopped by %s with %d mappings\n", strerror(err), mappings());
  int r = munmap(first + 4096, 4096);
  printf("split at the limit: %d %s\n", r, r < 0 ? strerror(errno) : "");
  r = munmap(first + 2 * 4096, 4096);
  printf("trim the end: %d %s\n", r, r < 0 ? strerror(errno) : "");
  return made > 0 ? 0 : 1;
}
