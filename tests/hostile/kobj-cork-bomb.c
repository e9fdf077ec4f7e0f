/* MSG_MORE bomb: non-blocking sends of 16 MiB with MSG_MORE on a TCP
 * connection over loopback ("t") or a connected UDP socket ("u"), up to
 * argv[2] (default 1000) or until refused. Corked bytes waited on the host
 * with no bound (2.4 GB under -m 256M within 40 s, either protocol); the host
 * kernel takes part of the first on TCP then answers EAGAIN (its send
 * buffer), and EMSGSIZE on UDP (a datagram of at most 65507 bytes). Prints
 * how many sends went and the errno. */
#include "kobj-rt.h"

#if defined(__x86_64__)
#define NR_BIND 49
#define NR_LISTEN 50
#define NR_CONNECT 42
#define NR_GETSOCKNAME 51
#else
#define NR_BIND 200
#define NR_LISTEN 201
#define NR_CONNECT 203
#define NR_GETSOCKNAME 204
#endif
#define AF_INET 2
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define MSG_DONTWAIT 0x40
#define MSG_MORE 0x8000

struct sockaddr_in { unsigned short family, port; unsigned addr; char zero[8]; };

int main(int argc, char **argv) {
    char kind = argc > 1 ? argv[1][0] : 't';
    u64 rounds = arg_or(argc, argv, 2, 1000);
    char *buf = map_anon(16 << 20, MAP_PRIVATE | MAP_ANON);
    touch(buf, 16 << 20);
    struct sockaddr_in a = { AF_INET, 0, 0x0100007f /* 127.0.0.1 */, { 0 } };
    u32 alen = sizeof a;
    i64 s, r;
    if (kind == 't') {
        i64 l = sys6(NR_SOCKET, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
        r = sys6(NR_BIND, l, (i64)&a, sizeof a, 0, 0, 0);
        if (r == 0) r = sys6(NR_GETSOCKNAME, l, (i64)&a, (i64)&alen, 0, 0, 0);
        if (r == 0) r = sys6(NR_LISTEN, l, 16, 0, 0, 0, 0);
        s = sys6(NR_SOCKET, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
    } else {
        a.port = 0x3930; /* 12345: nobody need listen */
        s = sys6(NR_SOCKET, AF_INET, SOCK_DGRAM, 0, 0, 0, 0);
        r = 0;
    }
    if (r == 0) r = sys6(NR_CONNECT, s, (i64)&a, sizeof a, 0, 0, 0);
    if (r < 0) { put_result("setup: ", 0, -r); return 1; }
    u64 n = 0;
    for (; n < rounds; n++) {
        r = sys6(NR_SENDTO, s, (i64)buf, 16 << 20, MSG_MORE | MSG_DONTWAIT, 0, 0);
        if (r < 0) break;
    }
    put_result("MSG_MORE sends of 16 MiB: ", n, r < 0 ? -r : 0);
    return 0;
}
