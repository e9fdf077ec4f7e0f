/* Where qemu-aarch64 7.2 answers differently from Linux, for the LTP tests
 * whose qemu result is corrected in tests/ltp/linux-golden.txt: the calls
 * those tests make, with what each returned. The host kernel's answers are
 * the golden (oracle-gaps.golden); qemu's are oracle-gaps.qemu.golden. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef MAX_HANDLE_SZ
#define MAX_HANDLE_SZ 128
#endif

static void show(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

/* splice08/09 (Linux 6.7's splice of /dev/zero, /dev/full and /dev/null):
 * salty reports 6.1, so LTP skips them there, but salty splices as 6.7. */
static void splice_dev(const char *dev, int from_dev)
{
	char buf[5000];
	int p[2], fd = open(dev, from_dev ? O_RDONLY : O_WRONLY), nonzero = 0;
	long r;

	pipe(p);
	memset(buf, 0xff, sizeof(buf));
	if (from_dev) {
		r = splice(fd, NULL, p[1], NULL, 4036, 0);
		read(p[0], buf, sizeof(buf));
		for (int i = 0; i < 4036; i++)
			nonzero += buf[i] != 0;
		printf("splice %s to a pipe: %ld, %d bytes not zero\n", dev, r, nonzero);
	} else {
		write(p[1], buf, 1024);
		r = splice(p[0], NULL, fd, NULL, 1024, 0);
		printf("splice a pipe to %s: %ld\n", dev, r);
	}
	close(p[0]);
	close(p[1]);
	close(fd);
}

static struct {
	struct file_handle fh;
	unsigned char after[256];
} big;

int main(void)
{
	struct file_handle fh;
	int mount_id, changed = 0;
	char tmpl[] = "/tmp/gapsXXXXXX";
	int *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = mkstemp(tmpl);

	close(fd);
	/* prctl02: qemu 7.2 has no PR_SET/GET_THP_DISABLE (EINVAL: LTP skips) */
	show("PR_GET_THP_DISABLE", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	show("PR_SET_THP_DISABLE arg3 1", prctl(PR_SET_THP_DISABLE, 0, 1, 0, 0));
	show("PR_GET_THP_DISABLE arg2 1", prctl(PR_GET_THP_DISABLE, 1, 1, 0, 0));

	/* name_to_handle_at02: a handle_bytes over MAX_HANDLE_SZ is EINVAL and
	 * Linux writes nothing; qemu 7.2 copies handle_bytes bytes back over
	 * what follows the structure (LTP's own variables, in the test). */
	memset(big.after, 0xa5, sizeof(big.after));
	big.fh.handle_bytes = MAX_HANDLE_SZ + 1;
	show("handle_bytes over MAX_HANDLE_SZ", name_to_handle_at(AT_FDCWD, tmpl, &big.fh, &mount_id, 0));
	for (unsigned i = 0; i < sizeof(big.after); i++)
		changed += big.after[i] != 0xa5;
	printf("bytes changed after the handle: %d\n", changed);
	memset(&fh, 0, sizeof(fh));
	show("bad mount_id pointer", name_to_handle_at(AT_FDCWD, tmpl, &fh, bad, 0));
	show("flags -1", name_to_handle_at(AT_FDCWD, tmpl, &fh, &mount_id, -1));
	show("empty path", name_to_handle_at(AT_FDCWD, "", &fh, &mount_id, 0));
	unlink(tmpl);
	splice_dev("/dev/zero", 1);
	splice_dev("/dev/full", 1);
	splice_dev("/dev/null", 0);
	splice_dev("/dev/zero", 0);
	return 0;
}
