// Huge pages with an empty pool: memfd_create(MFD_HUGETLB) sizes, what a
// hugetlbfs file takes (no write, whole huge pages only) and its mappings
// (ENOMEM, or SIGBUS on touch with MAP_NORESERVE); MAP_HUGETLB; SysV
// SHM_HUGETLB (EPERM without CAP_IPC_LOCK over RLIMIT_MEMLOCK, else ENOMEM);
// kernel.shmmax and kernel.shmall bounding shmget (put back afterwards).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

/** For calls whose success value is an id that differs between kernels: shown as 0. */
#define ID(x) ({ long r_ = (long)(x); int e_ = errno; printf("%-64s -> %ld %s\n", #x, r_ < 0 ? -1L : 0L, r_ < 0 ? strerror(e_) : ""); r_; })
#define T(x) ({ long r_ = (long)(x); int e_ = errno; printf("%-64s -> %ld %s\n", #x, r_ < 0 ? -1L : r_ > 0 ? 1L : r_, r_ < 0 ? strerror(e_) : ""); r_; })

static sigjmp_buf env;
static void onbus(int sig) { siglongjmp(env, sig); }

static void readFile(const char *path, char *out, int n) {
  int fd = open(path, O_RDONLY);
  int r = fd < 0 ? 0 : read(fd, out, n - 1);
  out[r > 0 ? r : 0] = 0;
  if (fd >= 0) close(fd);
}

static int writeFile(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -errno;
  int r = write(fd, text, strlen(text));
  int e = r < 0 ? -errno : 0;
  close(fd);
  return e;
}

int main(void) {
  char buf[64];
  readFile("/proc/sys/vm/nr_hugepages", buf, sizeof buf);
  printf("nr_hugepages %s", buf);
  int h = T(memfd_create("h", MFD_HUGETLB));
  T(memfd_create("h", MFD_HUGETLB | MFD_HUGE_2MB));
  T(memfd_create("h", MFD_HUGETLB | MFD_HUGE_1GB));
  T(memfd_create("h", MFD_HUGETLB | MFD_HUGE_8MB));
  T(memfd_create("h", MFD_HUGETLB | (63u << 26)));
  T(memfd_create("h", MFD_HUGE_2MB));
  T(fcntl(h, F_GET_SEALS));
  T(write(h, "x", 1));
  T(ftruncate(h, 4096));
  T(ftruncate(h, 2 << 20));
  struct stat st;
  fstat(h, &st);
  printf("size %ld\n", (long)st.st_size);
  T(read(h, buf, 10));
  void *p = mmap(0, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, h, 0);
  printf("mmap hugetlbfs: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
  p = mmap(0, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
  printf("mmap MAP_HUGETLB: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
  p = mmap(0, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (23 << 26), -1, 0);
  printf("mmap MAP_HUGETLB 8MB: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
  int plain = memfd_create("p", 0);
  ftruncate(plain, 4096);
  p = mmap(0, 4096, PROT_READ, MAP_SHARED | MAP_HUGETLB, plain, 0);
  printf("mmap MAP_HUGETLB of a plain file: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
  char *n = mmap(0, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
  printf("mmap MAP_HUGETLB|MAP_NORESERVE: %s\n", n == MAP_FAILED ? strerror(errno) : "mapped");
  if (n != MAP_FAILED) {
    signal(SIGBUS, onbus);
    int sig = sigsetjmp(env, 1);
    if (sig == 0) n[0] = 1;
    printf("touch: signal %d\n", sig);
  }

  int s = shmget(IPC_PRIVATE, 2 << 20, IPC_CREAT | SHM_HUGETLB | 0600);
  printf("shmget SHM_HUGETLB as root: %s\n", s < 0 ? strerror(errno) : "made");
  fflush(stdout);
  if (fork() == 0) {
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_MEMLOCK, &rl);
    setgroups(0, 0);
    setgid(65534);
    setuid(65534);
    s = shmget(IPC_PRIVATE, 2 << 20, IPC_CREAT | SHM_HUGETLB | 0600);
    printf("nobody, memlock 0: %s\n", s < 0 ? strerror(errno) : "made");
    fflush(stdout);
    _exit(0);
  }
  wait(0);

  char saved[64], savedAll[64];
  readFile("/proc/sys/kernel/shmmax", saved, sizeof saved);
  readFile("/proc/sys/kernel/shmall", savedAll, sizeof savedAll);
  printf("shmmax %sshmall %s", saved, savedAll);
  printf("write shmmax 8192 -> %d\n", writeFile("/proc/sys/kernel/shmmax", "8192"));
  ID(shmget(IPC_PRIVATE, 8193, IPC_CREAT | 0600));
  int ok = ID(shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600));
  shmctl(ok, IPC_RMID, 0);
  struct shminfo info;
  shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
  printf("IPC_INFO shmmax %lu\n", info.shmmax);
  printf("write shmmax -1 -> %d\n", writeFile("/proc/sys/kernel/shmmax", "-1"));
  writeFile("/proc/sys/kernel/shmmax", saved);
  readFile("/proc/sys/kernel/shmmax", buf, sizeof buf);
  printf("restored %d\n", strcmp(buf, saved) == 0);
  struct shm_info used;
  shmctl(0, SHM_INFO, (struct shmid_ds *)&used);
  char text[32];
  snprintf(text, sizeof text, "%lu", used.shm_tot + 2);
  printf("write shmall used+2 -> %d\n", writeFile("/proc/sys/kernel/shmall", text));
  int two = ID(shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600));
  ID(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
  shmctl(two, IPC_RMID, 0);
  writeFile("/proc/sys/kernel/shmall", savedAll);
  readFile("/proc/sys/kernel/shmall", buf, sizeof buf);
  printf("restored %d\n", strcmp(buf, savedAll) == 0);
  return 0;
}
