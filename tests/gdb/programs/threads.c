/* Three threads that meet at a barrier, for gdb's info threads. */
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t barrier;
int arrived = 0;

static void meet(void)
{
	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
}

static void *worker(void *arg)
{
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	return arg;
}

int main(void)
{
	pthread_t t[2];
	pthread_barrier_init(&barrier, NULL, 3);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	pthread_barrier_wait(&barrier);
	meet();
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("arrived %d\n", arrived);
	return 0;
}
