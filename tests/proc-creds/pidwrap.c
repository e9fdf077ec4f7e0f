/* Lowers /proc/sys/kernel/pid_max just above the caller's pid and forks:
 * the ids handed out stay below pid_max and wrap to 300 (Linux's
 * RESERVED_PIDS). Run on salty only (on Linux it would change the host). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  char buf[32];
  int max = getpid() + 4;
  int fd = open("/proc/sys/kernel/pid_max", O_WRONLY);
  snprintf(buf, sizeof buf, "%d\n", max);
  if (fd < 0 || write(fd, buf, strlen(buf)) < 0) { perror("pid_max"); return 1; }
  close(fd);
  printf("pid_max %d\n", max);
  for (int i = 0; i < 8; i++) {
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    waitpid(pid, NULL, 0);
    printf("child %d\n", pid);
  }
  return 0;
}
