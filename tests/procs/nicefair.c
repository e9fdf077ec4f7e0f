// Nice and CPU share: two threads pinned to one CPU spin for a second,
// one at nice 0 and one at nice 5; Linux's fair scheduler gives the first
// about three times the CPU time of the second (weights 1024 and 335).
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;
static pthread_barrier_t ready;

static void *spin(void *arg) {
  setpriority(PRIO_PROCESS, syscall(SYS_gettid), (int)(long)arg);
  pthread_barrier_wait(&ready);
  while (!stop)
    ;
  return NULL;
}

static double cpu(pthread_t t) {
  clockid_t id;
  struct timespec ts;
  pthread_getcpuclockid(t, &id);
  clock_gettime(id, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  sched_setaffinity(0, sizeof one, &one);
  pthread_barrier_init(&ready, NULL, 3);
  pthread_t a, b;
  pthread_create(&a, NULL, spin, (void *)0L);
  pthread_create(&b, NULL, spin, (void *)5L);
  pthread_barrier_wait(&ready);
  sleep(1);
  double ta = cpu(a), tb = cpu(b);
  stop = 1;
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("nice 0 ran more than nice 5: %d\n", ta > tb);
  printf("at least twice as long: %d\n", ta > 2 * tb);
  printf("less than four times as long: %d\n", ta < 4 * tb);
  return 0;
}
