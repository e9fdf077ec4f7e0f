// /proc/self/task/TID/stat of a thread blocked in a futex wait reads S
// (sleeping) while the reading thread itself runs (R).
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int word;
static volatile int tid;

static void *waiter(void *arg) {
  (void)arg;
  tid = gettid();
  syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0);
  return 0;
}

static char state(int t) {
  char path[64], s = '?';
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", t);
  FILE *f = fopen(path, "r");
  if (f) {
    fscanf(f, "%*d %*s %c", &s);
    fclose(f);
  }
  return s;
}

int main(void) {
  pthread_t th;
  pthread_create(&th, 0, waiter, 0);
  while (!tid) usleep(1000);
  char s = 'R';
  for (int i = 0; i < 200 && s != 'S'; i++) {
    usleep(5000);
    s = state(tid);
  }
  printf("waiting thread: %c\n", s);
  printf("reading thread: %c\n", state(gettid()));
  word = 1;
  syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
  pthread_join(th, 0);
  return 0;
}
