/* Directory notification (fcntl F_NOTIFY): which changes signal which
 * directory's descriptor, with which siginfo, one-shot against
 * DN_MULTISHOT, the end of a mark at close, and the errors. Prints one line
 * per step; the golden is what the host kernel printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIG (SIGRTMIN + 2)

static int hits[64], last_code, last_band, sigio_hits;

static void on_sig(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	if (si->si_fd >= 0 && si->si_fd < 64)
		hits[si->si_fd]++;
	last_code = si->si_code;
	last_band = (int)si->si_band;
}

static void on_sigio(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	sigio_hits++;
	last_code = si->si_code;
}

static void report(const char *what, int a, int b)
{
	printf("%s: dir %d sub %d\n", what, hits[a], hits[b]);
	memset(hits, 0, sizeof(hits));
}

static int watch(const char *path, unsigned long mask, int sig)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (sig && fcntl(fd, F_SETSIG, sig) != 0)
		printf("F_SETSIG: %s\n", strerror(errno));
	if (fcntl(fd, F_NOTIFY, mask) != 0)
		printf("F_NOTIFY %s: %s\n", path, strerror(errno));
	return fd;
}

int main(void)
{
	char tmpl[] = "/tmp/dnotifyXXXXXX";
	struct sigaction sa = { 0 };
	int d, s, f, r;
	char buf[4];

	if (!mkdtemp(tmpl) || chdir(tmpl) != 0)
		return 1;
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIG, &sa, NULL);
	sa.sa_sigaction = on_sigio;
	sigaction(SIGIO, &sa, NULL);
	mkdir("sub", 0700);
	close(open("file", O_CREAT | O_WRONLY, 0600));

	d = watch(".", DN_ATTRIB | DN_MULTISHOT, SIG);
	s = watch("sub", DN_ATTRIB | DN_MULTISHOT, SIG);
	chmod("sub", 0755);
	printf("code %d band %#x\n", last_code, last_band);
	report("chmod sub", d, s);
	chmod("file", 0644);
	report("chmod file", d, s);
	chmod(".", 0700);
	report("chmod .", d, s);
	close(d);
	close(s);
	chmod("sub", 0700);
	report("after close", d, s);

	d = watch(".", DN_RENAME | DN_MULTISHOT, SIG);
	s = watch("sub", DN_RENAME | DN_MULTISHOT, SIG);
	rename("file", "sub/file");
	report("rename across", d, s);
	rename("sub/file", "sub/file2");
	report("rename in sub", d, s);
	rename("sub", "sub2");
	report("rename sub itself", d, s);
	rename("sub2", "sub");
	close(d);
	close(s);

	d = watch(".", DN_CREATE | DN_DELETE | DN_MULTISHOT, SIG);
	s = watch("sub", DN_CREATE | DN_DELETE | DN_MULTISHOT, SIG);
	rename("sub/file2", "file");
	report("move out of sub", d, s);
	unlink("file");
	report("unlink", d, s);
	mkdir("sub/x", 0700);
	report("mkdir in sub", d, s);
	rmdir("sub/x");
	report("rmdir in sub", d, s);
	close(d);
	close(s);

	d = watch(".", DN_CREATE, SIG);
	close(open("a", O_CREAT | O_WRONLY, 0600));
	close(open("b", O_CREAT | O_WRONLY, 0600));
	report("one-shot: two creates", d, d);
	if (fcntl(d, F_NOTIFY, DN_CREATE | DN_DELETE) != 0)
		printf("rearm: %s\n", strerror(errno));
	unlink("a");
	report("rearmed: unlink", d, d);
	close(d);

	d = watch(".", DN_MODIFY | DN_ACCESS | DN_MULTISHOT, SIG);
	f = open("b", O_RDWR);
	write(f, "xy", 2);
	report("write", d, d);
	pread(f, buf, 1, 0);
	report("read", d, d);
	if (fcntl(d, F_NOTIFY, 0) != 0)
		printf("clear: %s\n", strerror(errno));
	write(f, "z", 1);
	report("cleared: write", d, d);
	close(d);

	d = watch(".", DN_DELETE, 0);
	unlink("b");
	printf("sigio %d code %#x\n", sigio_hits, last_code);
	close(d);

	errno = 0;
	r = fcntl(f, F_NOTIFY, DN_MODIFY);
	printf("F_NOTIFY on a file: %d %s\n", r, strerror(errno));
	d = open(".", O_RDONLY);
	errno = 0;
	r = fcntl(d, F_NOTIFY, 0x40 | DN_CREATE);
	printf("F_NOTIFY unknown bits: %d %s\n", r, strerror(errno));
	close(open("c", O_CREAT | O_WRONLY, 0600));
	report("unknown bits: create", d, d);
	unlink("c");
	close(d);
	close(f);
	rmdir("sub");
	chdir("/");
	return rmdir(tmpl) != 0;
}
