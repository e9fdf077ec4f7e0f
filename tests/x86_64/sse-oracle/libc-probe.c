// A program whose static glibc 2.36 and musl 1.2.3 builds pull in the string,
// stdio and libm routines whose SSE instructions tests/x86_64/sse-libc.test.ts
// checks against the decoder (tests/x86_64/sse-oracle/libc-insns.sh).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  char buf[256];
  const char *s = argc > 1 ? argv[1] : "hello, world";
  size_t n = strlen(s);
  memcpy(buf, s, n + 1);
  memset(buf + n, 'x', 10);
  buf[n + 10] = 0;
  printf("%zu %d %p %s\n", n, strcmp(buf, s), memchr(buf, 'w', n), strstr(buf, "wor"));
  printf("%s %zu %d\n", strchr(buf, 'o'), strnlen(buf, 5), memcmp(buf, s, n));
  double x = strtod(argc > 2 ? argv[2] : "1.2345", 0);
  printf("%f %g %e %.17g\n", sin(x), exp(x), log(x), pow(x, 2.5));
  printf("%f %f %f %f\n", sqrt(x), atan2(x, 2), cbrt(x), fmod(x, 0.3));
  printf("%Lf\n", (long double)x * 3);
  float f = (float)x;
  printf("%f %f %f\n", sinf(f), expf(f), logf(f));
  return 0;
}
