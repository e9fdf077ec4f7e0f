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
	return 0;
}
