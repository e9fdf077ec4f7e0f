/* /proc files checked against the system calls that report the same
 * facts: status and stat against getpid/getppid, cmdline against argv,
 * meminfo and uptime against sysinfo, fd/ against the descriptors open,
 * /proc/sys files (read, written as root, refused when out of range or
 * read-only), oom_score_adj. Prints the agreements, not the values, so
 * that Linux (qemu-aarch64 as root) and salty print the same. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

static char text[65536];

static int slurp(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  int n = 0, r;
  while ((r = read(fd, text + n, sizeof text - 1 - n)) > 0) n += r;
  close(fd);
  text[n] = 0;
  return n;
}

static long field(const char *label) {
  char *p = strstr(text, label);
  return p ? strtol(p + strlen(label), NULL, 10) : -1;
}

static const char *err(int r) {
  if (r >= 0) return "ok";
  return errno == EINVAL ? "EINVAL" : errno == EACCES ? "EACCES" : errno == EIO ? "EIO" : errno == ENOENT ? "ENOENT" : "other";
}

static int write_text(const char *path, const char *s) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -1;
  int r = write(fd, s, strlen(s));
  int e = errno;
  close(fd);
  errno = e;
  return r < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
  (void)argc;
  slurp("/proc/self/status");
  printf("status Pid == getpid: %d\n", field("\nPid:\t") == getpid());
  printf("status Tgid == getpid: %d\n", field("\nTgid:\t") == getpid());
  printf("status PPid == getppid: %d\n", field("\nPPid:\t") == getppid());
  printf("status has VmRSS in kB: %d\n", strstr(text, "\nVmRSS:\t") != NULL && strstr(strstr(text, "\nVmRSS:\t"), " kB\n") != NULL);

  slurp("/proc/self/stat");
  int pid, ppid;
  char comm[64], state;
  printf("stat parses: %d\n", sscanf(text, "%d %63s %c %d", &pid, comm, &state, &ppid) == 4);
  printf("stat pid/ppid agree: %d %d\n", pid == getpid(), ppid == getppid());

  int n = slurp("/proc/self/cmdline");
  int same = 1, at = 0;
  for (char **a = argv; *a; a++) {
    if (strcmp(text + at, *a) != 0) same = 0;
    at += strlen(*a) + 1;
  }
  printf("cmdline is argv: %d (length agrees %d)\n", same, at == n);

  struct sysinfo si;
  sysinfo(&si);
  slurp("/proc/meminfo");
  long total = field("MemTotal:"), free_kb = field("MemFree:"), avail = field("MemAvailable:");
  printf("meminfo MemTotal == sysinfo totalram: %d\n", total * 1024 == (long)(si.totalram * si.mem_unit));
  printf("meminfo MemFree and MemAvailable within MemTotal: %d\n", free_kb > 0 && free_kb <= total && avail > 0 && avail <= total);
  printf("meminfo SwapTotal == sysinfo totalswap: %d\n", field("SwapTotal:") * 1024 == (long)(si.totalswap * si.mem_unit));

  slurp("/proc/uptime");
  double up, idle;
  int parsed = sscanf(text, "%lf %lf", &up, &idle) == 2;
  printf("uptime parses: %d, within 2s of sysinfo: %d\n", parsed, up <= si.uptime + 1 && up >= si.uptime - 2);

  slurp("/proc/loadavg");
  double l1, l5, l15;
  int running, total_threads, last;
  printf("loadavg parses: %d\n", sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total_threads, &last) == 6);

  int fd = open("/proc/self/status", O_RDONLY);
  char link[64], target[256];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t len = readlink(link, target, sizeof target - 1);
  target[len < 0 ? 0 : len] = 0;
  printf("fd link names the file: %d\n", strcmp(target, "/proc/self/status") == 0 || strstr(target, "/status") != NULL);
  DIR *d = opendir("/proc/self/fd");
  int found = 0;
  struct dirent *e;
  while ((e = readdir(d))) if (atoi(e->d_name) == fd && e->d_name[0] != '.') found = 1;
  closedir(d);
  printf("fd/ lists it: %d\n", found);
  close(fd);

  struct utsname u;
  uname(&u);
  slurp("/proc/sys/kernel/ostype");
  printf("ostype is uname sysname: %d\n", strncmp(text, u.sysname, strlen(u.sysname)) == 0);
  slurp("/proc/sys/kernel/osrelease");
  printf("osrelease is uname release: %d\n", strncmp(text, u.release, strlen(u.release)) == 0);
  slurp("/proc/sys/kernel/hostname");
  printf("hostname is uname nodename: %d\n", strncmp(text, u.nodename, strlen(u.nodename)) == 0);

  slurp("/proc/sys/kernel/pid_max");
  long pid_max = atol(text);
  printf("pid_max above getpid: %d\n", pid_max > getpid());
  char buf[32];
  snprintf(buf, sizeof buf, "%ld\n", pid_max);
  printf("write pid_max unchanged: %s\n", err(write_text("/proc/sys/kernel/pid_max", buf)));
  printf("write pid_max 100 (below 301): %s\n", err(write_text("/proc/sys/kernel/pid_max", "100\n")));
  printf("write pid_max junk: %s\n", err(write_text("/proc/sys/kernel/pid_max", "x1\n")));
  printf("open ostype for writing: %s\n", err(write_text("/proc/sys/kernel/ostype", "BSD\n")));
  printf("write meminfo: %s\n", err(write_text("/proc/meminfo", "1\n")));
  slurp("/proc/sys/vm/overcommit_memory");
  long oc = atol(text);
  printf("overcommit_memory in 0..2: %d\n", oc >= 0 && oc <= 2);
  printf("write overcommit_memory 3: %s\n", err(write_text("/proc/sys/vm/overcommit_memory", "3\n")));

  printf("write oom_score_adj 500: %s\n", err(write_text("/proc/self/oom_score_adj", "500\n")));
  slurp("/proc/self/oom_score_adj");
  printf("oom_score_adj reads %ld\n", atol(text));
  printf("write oom_score_adj 2000: %s\n", err(write_text("/proc/self/oom_score_adj", "2000\n")));
  printf("write oom_score_adj 0: %s\n", err(write_text("/proc/self/oom_score_adj", "0\n")));

  struct stat st;
  stat("/proc/meminfo", &st);
  printf("meminfo size %ld mode %o\n", (long)st.st_size, st.st_mode & 07777);
  stat("/proc/sys/kernel/pid_max", &st);
  printf("pid_max mode %o\n", st.st_mode & 07777);
  stat("/proc/self/fd", &st);
  printf("fd dir mode %o\n", st.st_mode & 07777);
  printf("/proc/self/nonexistent: %s\n", err(open("/proc/self/nonexistent", O_RDONLY)));
  return 0;
}
