// CLOCK_REALTIME as salty emulates it: set, read back, and a leap second
// inserted at midnight UTC (STA_INS) as Linux's NTP code does: the last
// second of the day is played twice while adjtimex reports TIME_OOP, then
// TIME_WAIT. It changes the clock it runs under, so it runs only under salty
// (never on the host, where it would change the machine's clock); what it
// prints is what Linux's documented behaviour gives (clockset.expected).
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>
#include <errno.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

int main(void) {
  struct timespec t = {2000000000, 0}, now;
  printf("clock_settime: %d\n", clock_settime(CLOCK_REALTIME, &t));
  clock_gettime(CLOCK_REALTIME, &now);
  printf("reads back within a second: %d\n", now.tv_sec >= t.tv_sec && now.tv_sec <= t.tv_sec + 1);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday agrees: %d\n", tv.tv_sec - now.tv_sec <= 1);
  // An absolute realtime timerfd that asked to be cancelled by a clock change is.
  int tfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
  struct itimerspec its = {{0, 0}, {now.tv_sec + 3600, 0}};
  timerfd_settime(tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
  uint64_t n;
  printf("timerfd before a set: %s\n", read(tfd, &n, 8) < 0 && errno == EAGAIN ? "EAGAIN" : "?");
  clock_settime(CLOCK_REALTIME, &now);
  printf("timerfd after a set: %s\n", read(tfd, &n, 8) < 0 && errno == ECANCELED ? "ECANCELED" : "?");
  // Two seconds before a midnight, then a leap second to insert.
  t.tv_sec = 2000000000 - 2000000000 % 86400 + 86400 - 2;
  clock_settime(CLOCK_REALTIME, &t);
  struct timex tx = {.modes = ADJ_STATUS, .status = STA_PLL};
  adjtimex(&tx);
  tx.status = 0;
  adjtimex(&tx);
  tx.status = STA_INS;
  int state = adjtimex(&tx);
  int seen_oop = 0, seen_wait = 0, last_second = 0;
  struct timespec half = {0, 250000000};
  for (int i = 0; i < 20; i++) {
    tx.modes = 0;
    state = adjtimex(&tx);
    if (state == TIME_OOP) seen_oop = 1;
    if (state == TIME_WAIT) seen_wait = 1;
    if (tx.time.tv_sec == t.tv_sec + 1) last_second++;
    nanosleep(&half, NULL);
  }
  clock_gettime(CLOCK_REALTIME, &now);
  // Sampled every quarter second, 23:59:59 shows about 8 times when it lasts two seconds, 4 when it does not.
  printf("leap second in progress seen: %d, then waiting: %d, 23:59:59 lasted two seconds: %d\n", seen_oop, seen_wait, last_second >= 7);
  printf("a second was inserted: %d\n", now.tv_sec == t.tv_sec + 2 + 3 - 1 || now.tv_sec == t.tv_sec + 2 + 3 - 2);
  tx.modes = ADJ_STATUS;
  tx.status = 0;
  adjtimex(&tx);
  return 0;
}
