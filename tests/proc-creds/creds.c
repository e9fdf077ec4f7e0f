/* The credential calls: id changes by root and by others, saved and
 * filesystem ids, supplementary groups, capget/capset and what a uid
 * change does to the capability sets, inheritance over fork, and the
 * Uid/Gid/Groups/Cap lines of /proc/self/status agreeing with the calls.
 * Capability sets are printed as relations (the host's root may lack a
 * few capabilities in its bounding set), everything else as values. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(long r) {
  static char buf[32];
  if (r >= 0) return "ok";
  switch (errno) {
  case EPERM: return "EPERM";
  case EINVAL: return "EINVAL";
  case EFAULT: return "EFAULT";
  case ESRCH: return "ESRCH";
  default: snprintf(buf, sizeof buf, "errno %d", errno); return buf;
  }
}

#define SHOW(what, call) printf("%-40s %s\n", what, err(call))

static void ids(const char *tag) {
  uid_t r, e, s;
  gid_t gr, ge, gs;
  getresuid(&r, &e, &s);
  getresgid(&gr, &ge, &gs);
  gid_t groups[64];
  int n = getgroups(64, groups);
  printf("%s: uid %u %u %u fsuid %d gid %u %u %u fsgid %d groups", tag, r, e, s, setfsuid(-1), gr, ge, gs, setfsgid(-1));
  for (int i = 0; i < n; i++) printf(" %u", groups[i]);
  printf("\n");
}

struct caps { unsigned eff[2], prm[2], inh[2]; };

static struct caps getcaps(void) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  struct caps c = {{0}};
  if (syscall(SYS_capget, &h, d) < 0) { perror("capget"); exit(1); }
  for (int i = 0; i < 2; i++) { c.eff[i] = d[i].effective; c.prm[i] = d[i].permitted; c.inh[i] = d[i].inheritable; }
  return c;
}

static void caps(const char *tag) {
  struct caps c = getcaps();
  int empty = !(c.eff[0] | c.eff[1]), pempty = !(c.prm[0] | c.prm[1]);
  int same = c.eff[0] == c.prm[0] && c.eff[1] == c.prm[1];
  int setuid = (c.eff[0] >> CAP_SETUID) & 1, dac = (c.eff[0] >> CAP_DAC_OVERRIDE) & 1;
  printf("%s: effective %s, permitted %s, eff==prm %d, CAP_SETUID %d, CAP_DAC_OVERRIDE %d\n", tag, empty ? "empty" : "set", pempty ? "empty" : "set", same, setuid, dac);
}

/* The Uid:, Gid: and Groups: lines of /proc/self/status, and whether CapEff/CapPrm agree with capget. */
static void status(const char *tag) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) { printf("%s: no /proc/self/status\n", tag); return; }
  char line[512];
  struct caps c = getcaps();
  while (fgets(line, sizeof line, f)) {
    if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7)) printf("%s: %s", tag, line);
    unsigned long long v;
    if (sscanf(line, "CapEff: %llx", &v) == 1) printf("%s: CapEff agrees with capget %d\n", tag, v == ((unsigned long long)c.eff[1] << 32 | c.eff[0]));
    if (sscanf(line, "CapPrm: %llx", &v) == 1) printf("%s: CapPrm agrees with capget %d\n", tag, v == ((unsigned long long)c.prm[1] << 32 | c.prm[0]));
  }
  fclose(f);
}

static void capget_errors(void) {
  struct __user_cap_header_struct h = {0x12345678, 0};
  struct __user_cap_data_struct d[2];
  SHOW("capget bad version", syscall(SYS_capget, &h, d));
  printf("header version now %#x\n", h.version);
  h.version = 0x12345678;
  SHOW("capget bad version, NULL data", syscall(SYS_capget, &h, NULL));
  h.version = _LINUX_CAPABILITY_VERSION_3;
  h.pid = -1;
  SHOW("capget pid -1", syscall(SYS_capget, &h, d));
  h.pid = 999999;
  SHOW("capget no such pid", syscall(SYS_capget, &h, d));
  h.pid = getppid();
  SHOW("capset other pid", syscall(SYS_capset, &h, d));
}

static void unprivileged(void) {
  SHOW("setgroups 2", setgroups(2, (gid_t[]){7, 5}));
  ids("groups set");
  SHOW("setgroups -1", setgroups(-1, NULL));
  SHOW("setregid 100 200", setregid(100, 200));
  ids("after setregid");
  SHOW("setresgid 300 -1 400", setresgid(300, -1, 400));
  printf("setfsgid 500 -> %d\n", setfsgid(500));
  ids("after setresgid");
  SHOW("setreuid 1000 2000", setreuid(1000, 2000));
  ids("after setreuid");
  caps("uids 1000 2000 2000");
  status("status");
  SHOW("setuid 2000 (saved)", setuid(2000));
  SHOW("setuid 3000", setuid(3000));
  SHOW("setreuid 2000 1000 (swap)", setreuid(2000, 1000));
  ids("after swap");
  SHOW("setresuid 3000 -1 -1", setresuid(3000, -1, -1));
  SHOW("setresuid -1 2000 -1", setresuid(-1, 2000, -1));
  printf("setfsuid 1000 -> %d\n", setfsuid(1000));
  printf("setfsuid 4000 -> %d\n", setfsuid(4000));
  ids("after fsuid");
  SHOW("setgid 100 (real)", setgid(100));
  SHOW("setgid 999", setgid(999));
  ids("after setgid");
  SHOW("setgroups as non-root", setgroups(0, NULL));
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2] = {{1u << CAP_CHOWN, 1u << CAP_CHOWN, 0}, {0, 0, 0}};
  SHOW("capset gain CAP_CHOWN", syscall(SYS_capset, &h, d));
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    ids("forked child");
    fflush(stdout);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
}

static void keepcaps(void) {
  SHOW("prctl PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
  printf("PR_GET_KEEPCAPS %d\n", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
  SHOW("setresuid 1000 1000 1000", setresuid(1000, 1000, 1000));
  caps("kept");
  struct caps c = getcaps();
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2] = {{c.prm[0], c.prm[0], 0}, {c.prm[1], c.prm[1], 0}};
  SHOW("capset effective = permitted", syscall(SYS_capset, &h, d));
  caps("raised");
  SHOW("setresuid 0 0 0 with CAP_SETUID", setresuid(0, 0, 0));
  ids("back to root");
  d[0].effective = d[0].permitted = 0;
  d[1].effective = d[1].permitted = 0;
  SHOW("capset drop all", syscall(SYS_capset, &h, d));
  caps("dropped");
  SHOW("setuid 5 without CAP_SETUID", setuid(5));
  printf("PR_CAPBSET_READ CAP_SETUID %d\n", prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0));
  SHOW("PR_CAPBSET_READ 99", prctl(PR_CAPBSET_READ, 99, 0, 0, 0));
}

static void child(void (*fn)(void)) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    fn();
    fflush(stdout);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
}

int main(void) {
  SHOW("setgroups 1 {0}", setgroups(1, (gid_t[]){0}));
  ids("root");
  caps("root");
  status("root status");
  capget_errors();
  child(unprivileged);
  child(keepcaps);
  SHOW("setuid -1", setuid(-1));
  volatile int minus_one = -1;
  printf("getgroups(-1) %s\n", err(getgroups(minus_one, NULL)));
  SHOW("setgroups 3 then getgroups(1)", setgroups(3, (gid_t[]){3, 1, 2}));
  gid_t g[1];
  printf("getgroups(1) %s, getgroups(0) %d\n", err(getgroups(1, g)), getgroups(0, NULL));
  ids("sorted");
  return 0;
}
