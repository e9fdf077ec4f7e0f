/* A parent and its forked child both call work(): gdb stays with the
   parent (detach-on-fork), so only the parent stops there. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int calls = 0;

int work(int who)
{
	calls++;
	return who * 2;
}

int main(void)
{
	int status = 0;
	pid_t child = fork();
	if (child == 0)
		return work(1);
	waitpid(child, &status, 0);
	printf("child said %d, parent says %d\n", WEXITSTATUS(status), work(2));
	return 0;
}
