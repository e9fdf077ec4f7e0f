/* Integer-only C through musl's start-up, qsort, memcpy/memmove/memset,
 * strlen/strchr/strcmp, division and 64-bit arithmetic; output with write(2)
 * and our own formatting (musl's stdio uses SSE, which this test leaves out). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char out[4096];
static size_t pos;

static void put(const char *s) { size_t n = strlen(s); memcpy(out + pos, s, n); pos += n; }
static void put_u(unsigned long v, int base) {
  char b[32]; int n = 0;
  do { b[n++] = "0123456789abcdef"[v % base]; v /= base; } while (v);
  while (n) out[pos++] = b[--n];
}
static void put_i(long v) { if (v < 0) { out[pos++] = '-'; put_u(-(unsigned long)v, 10); } else put_u(v, 10); }
static int cmp(const void *a, const void *b) { long x = *(const long *)a, y = *(const long *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
  long v[200];
  unsigned long h = 1469598103934665603ul;
  for (int i = 0; i < 200; i++) v[i] = ((long)i * 7919 * 104729) % 100003 - 50000;
  qsort(v, 200, sizeof v[0], cmp);
  put("min "); put_i(v[0]); put(" max "); put_i(v[199]); put(" median "); put_i(v[100]);
  char s[256];
  memset(s, 'x', sizeof s);
  memcpy(s + 1, "hello, world", 13);
  memmove(s + 3, s + 1, 13);
  put(" s "); put(s + 3); put(" chr "); put_i(strchr(s + 3, 'w') - s);
  put(" cmp "); put_i(strcmp(argv[0], "zzz") < 0);
  for (size_t i = 0; i < pos; i++) h = (h ^ (unsigned char)out[i]) * 1099511628211ul;
  put(" hash "); put_u(h, 16);
  long q = 0;
  for (long i = 1; i < 1000; i++) q += (h / i) % 977 - (long)(h % (unsigned long)(i * 3)) / 7;
  put(" q "); put_i(q); put(" argc "); put_i(argc);
  unsigned __int128 w = (unsigned __int128)h * 0x9e3779b97f4a7c15ul;
  put(" w "); put_u((unsigned long)(w >> 64), 16); put(" "); put_u((unsigned long)w, 16);
  put(" div "); put_i(-1234567890123l / 977); put(" "); put_i(-1234567890123l % 977);
  put("\n");
  write(1, out, pos);
  return 3;
}
