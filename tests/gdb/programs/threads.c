/* Two workers block in pause() while main reaches meet(), for gdb's
   info threads: every thread is at a known place when main stops. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t barrier;
int arrived = 0;

static void meet(void)
{
	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
}

static void *worker(void *arg)
{
	pthread_barrier_wait(&barrier);
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_t t[2];
	pthread_barrier_init(&barrier, NULL, 3);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	pthread_barrier_wait(&barrier);
	/* Let the workers reach pause() (qemu runs them on host threads). */
	for (int i = 0; i < 1000; i++)
		sched_yield();
	usleep(500000);
	meet();
	printf("arrived %d\n", arrived);
	return 0;
}
