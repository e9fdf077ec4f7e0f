/* A small program for gdb to debug: globals, locals, calls, a string,
   a watched global and, with an argument, a SIGSEGV. */
#include <stdio.h>
#include <string.h>

int counter = 0;
long total = 5;
const char *greeting = "hello, gdb";
char buffer[32];

static int square(int n)
{
	int result = n * n;
	return result;
}

static void bump(int by)
{
	counter += by;
}

static int crash(int *where)
{
	return *where;
}

int main(int argc, char **argv)
{
	int i;
	int local = 42;
	strcpy(buffer, greeting);
	for (i = 0; i < 3; i++) {
		bump(i + 1);
		total += square(i);
	}
	if (argc > 1)
		local += crash((int *)(long)argc);
	printf("%s %d %ld %d\n", buffer, counter, total, local);
	return 0;
}
