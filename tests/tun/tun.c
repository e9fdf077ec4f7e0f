/* /dev/net/tun on a descriptor not attached to an interface: its device
 * number, TUNGETFEATURES, and the EBADFD of read, write and TUNGETIFF. (No
 * TUNSETIFF: on the host it would create an interface.) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
	struct stat st;
	struct ifreq ifr;
	unsigned int features = 0;
	char buf[64] = { 0 };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0 || fstat(fd, &st) != 0)
		return 1;
	printf("char %d, %u:%u\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
	show("TUNGETFEATURES", ioctl(fd, TUNGETFEATURES, &features));
	printf("features %#x\n", features);
	show("TUNGETIFF", ioctl(fd, TUNGETIFF, &ifr));
	show("read", read(fd, buf, sizeof(buf)));
	show("write", write(fd, buf, sizeof(buf)));
	show("FIONREAD", ioctl(fd, FIONREAD, &features));
	return close(fd);
}
