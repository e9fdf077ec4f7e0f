/* MAP_GROWSDOWN: touches below such a mapping grow it (also a read(2) into
 * the addresses below), unless they come within the stack guard gap of an
 * accessible mapping below, or the mapping is shared or of a file. Each case
 * runs in a child; prints how it ended. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096L
#define GAP (256 * PG)

static char *area;	/* a free range of 1024 pages */

static void ended(const char *what, pid_t pid)
{
	int st;

	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	else
		printf("%s: exit %d\n", what, WEXITSTATUS(st));
}

/* A growsdown mapping of 4 pages at the top of the area, a page below it at
 * distance gap (none when gap < 0), then a touch depth bytes below its start. */
static void touch(const char *what, long gap, long depth, int by_read)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *top = area + 1024 * PG, *low = top - 4 * PG, *p;

		if (mmap(low, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0) == MAP_FAILED)
			_exit(10);
		if (gap >= 0 && mmap(low - gap - 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			_exit(11);
		p = low - depth;
		if (by_read) {
			int fd = open("/proc/self/exe", O_RDONLY);
			long n = read(fd, p, 16);
			_exit(n == 16 ? 0 : errno == EFAULT ? 14 : 12);
		}
		*p = 1;
		_exit(p[0] == 1 && low[0] == 0 ? 0 : 13);
	}
	ended(what, pid);
}

int main(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);

	setvbuf(stdout, NULL, _IONBF, 0);
	area = mmap(NULL, 1024 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(area, 1024 * PG);
	touch("one page below", -1, 1, 0);
	touch("100 pages below", -1, 100 * PG, 0);
	touch("read(2) 50 pages below", -1, 50 * PG, 1);
	touch("mapping far below (gap + 10 pages), touch 5 pages below", GAP + 10 * PG, 5 * PG, 0);
	touch("mapping within the gap, touch one page below", GAP / 2, 1, 0);
	touch("mapping within the gap, read(2) below", GAP / 2, 1, 1);
	errno = 0;
	printf("shared growsdown: %s\n", mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0) == MAP_FAILED ? strerror(errno) : "mapped");
	errno = 0;
	printf("file growsdown: %s\n", mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0) == MAP_FAILED ? strerror(errno) : "mapped");
	return 0;
}
