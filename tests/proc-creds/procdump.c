/* Prints each file named on the command line after a "== path" line, as
 * read with read(2) (for the /proc format checks of proc-creds.test.ts). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char buf[4096];
  for (int i = 1; i < argc; i++) {
    printf("== %s\n", argv[i]);
    fflush(stdout);
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) { printf("(cannot open)\n"); continue; }
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) write(1, buf, n);
    close(fd);
  }
  return 0;
}
