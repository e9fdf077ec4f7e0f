// The IPC tunables of /proc/sys/kernel: *_next_id picks the next object's id
// (once, then reads -1 again; a busy slot gives the next free one with the
// same sequence number), msgmni and shmmni bound how many objects exist,
// bad values are refused with EINVAL.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

static int writeFile(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -errno;
  int r = write(fd, text, strlen(text));
  int e = r < 0 ? -errno : r;
  close(fd);
  return e;
}

static void readFile(const char *path, char *out, int n) {
  int fd = open(path, O_RDONLY);
  int r = fd < 0 ? -1 : read(fd, out, n - 1);
  out[r < 0 ? 0 : r] = 0;
  if (r > 0 && out[r - 1] == '\n') out[r - 1] = 0;
  if (fd >= 0) close(fd);
}

static void show(const char *path) {
  char buf[128];
  readFile(path, buf, sizeof buf);
  printf("%s = %s\n", path, buf);
}

int main(void) {
  char saved[64];
  show("/proc/sys/kernel/msg_next_id");
  printf("write 0x12345678 -> %d\n", writeFile("/proc/sys/kernel/msg_next_id", "305419896"));
  show("/proc/sys/kernel/msg_next_id");
  int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  printf("msgget id 0x%x\n", q);
  show("/proc/sys/kernel/msg_next_id");
  writeFile("/proc/sys/kernel/msg_next_id", "305419896");
  int q2 = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  printf("busy slot: msgget id 0x%x\n", q2);
  msgctl(q, IPC_RMID, 0);
  msgctl(q2, IPC_RMID, 0);
  printf("write -2 -> %d\n", writeFile("/proc/sys/kernel/msg_next_id", "-2"));
  printf("write x -> %d\n", writeFile("/proc/sys/kernel/shm_next_id", "x"));

  writeFile("/proc/sys/kernel/shm_next_id", "4242");
  int s = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  printf("shmget id %d\n", s);
  shmctl(s, IPC_RMID, 0);
  show("/proc/sys/kernel/shm_next_id");
  writeFile("/proc/sys/kernel/sem_next_id", "77");
  int m = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  printf("semget id %d\n", m);
  semctl(m, 0, IPC_RMID);

  readFile("/proc/sys/kernel/msgmni", saved, sizeof saved);
  printf("msgmni %s\n", saved);
  struct msginfo info;
  // Room for exactly two more queues than exist now.
  int used = msgctl(0, MSG_INFO, (struct msqid_ds *)&info) >= 0 ? info.msgpool : -1;
  char text[32];
  snprintf(text, sizeof text, "%d", used + 2);
  printf("write msgmni -> %d\n", writeFile("/proc/sys/kernel/msgmni", text) > 0);
  msgctl(0, IPC_INFO, (struct msqid_ds *)&info);
  printf("IPC_INFO msgmni is used+2: %d\n", info.msgmni == used + 2);
  int a = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  int b = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  int c = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  printf("third queue: %d %s\n", c, c < 0 ? strerror(errno) : "");
  msgctl(a, IPC_RMID, 0);
  msgctl(b, IPC_RMID, 0);
  writeFile("/proc/sys/kernel/msgmni", saved);
  printf("write msgmni 40000 -> %d\n", writeFile("/proc/sys/kernel/msgmni", "40000"));
  show("/proc/sys/kernel/msgmni");
  return 0;
}
