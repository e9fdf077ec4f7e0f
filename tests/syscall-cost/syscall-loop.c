/* Host cost of the syscall path: `syscall-loop NAME N` makes N calls of one
 * kind (times, clock_gettime, getppid, getcwd, rename, or fork2: two
 * processes each making N/2 getppid calls) and prints nothing. Used by
 * docs/ltp.md's measurements: time `salty run` on it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "getppid";
	long n = argc > 2 ? atol(argv[2]) : 100000;
	struct tms tms;
	struct timespec ts;
	char buf[4096];

	if (!strcmp(what, "fork2")) {
		pid_t pid = fork();
		for (long i = 0; i < n / 2; i++)
			syscall(SYS_getppid);
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		return 0;
	}
	if (!strcmp(what, "rename")) {
		/* in a directory of the guest's own, as LTP's temporary directory is */
		mkdir("/tmp/syscall-loop.d", 0700);
		chdir("/tmp/syscall-loop.d");
		close(creat("a", 0600));
	}
	for (long i = 0; i < n; i++) {
		if (!strcmp(what, "times"))
			times(&tms);
		else if (!strcmp(what, "clock_gettime"))
			syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
		else if (!strcmp(what, "getcwd"))
			syscall(SYS_getcwd, buf, sizeof(buf));
		else if (!strcmp(what, "rename"))
			rename(i & 1 ? "b" : "a", i & 1 ? "a" : "b");
		else
			syscall(SYS_getppid);
	}
	return 0;
}
