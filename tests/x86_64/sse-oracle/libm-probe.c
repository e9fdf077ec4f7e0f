// libm on SSE2: a seeded stream of doubles and floats through musl's (or
// glibc's) double and float math functions, every result printed as its bit
// pattern with integer conversions only (so no x87 code runs in printf).
// Native and emulated outputs must be identical (tests/x86_64/sse-libm.test.ts).
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static double d(uint64_t b) {
  double x;
  memcpy(&x, &b, 8);
  return x;
}
static unsigned long long u(double x) {
  unsigned long long b;
  memcpy(&b, &x, 8);
  return b;
}
static unsigned uf(float x) {
  unsigned b;
  memcpy(&b, &x, 4);
  return b;
}

static uint64_t s = 0x243f6a8885a308d3ull;
static uint64_t next(void) {
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return s;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? (int)(argv[1][0] - '0') * 100 : 200;
  for (int i = 0; i < n; i++) {
    uint64_t r = next();
    double x;
    switch (i % 4) {
      case 0: x = (double)(int64_t)(r >> 20) / 1e9; break;            // moderate values
      case 1: x = d((r & 0x800fffffffffffffull) | (0x3f0ull + (r >> 60)) << 52); break;  // near 1
      case 2: x = d(r); break;                                          // any bit pattern
      default: x = (double)(int)(r % 2000) / 8.0 - 100.0; break;      // simple fractions
    }
    double y = d(next() & 0x800fffffffffffffull | 0x3ff0000000000000ull) * 3.0;
    float f = (float)x;
    printf("%016llx %016llx %016llx %016llx %016llx %016llx %016llx %016llx\n", u(x), u(sin(x)), u(cos(x)), u(exp(x)), u(log(x)), u(pow(y, x)),
           u(atan2(x, y)), u(cbrt(x)));
    printf("%016llx %016llx %016llx %016llx %016llx %016llx %lld %08x %08x %08x %08x\n", u(sqrt(x)), u(tan(x)), u(floor(x)), u(round(x)),
           u(fmod(x, y)), u(hypot(x, y)), (long long)lrint(x > 1e18 || x < -1e18 || x != x ? 0 : x), uf(sinf(f)), uf(expf(f)), uf(logf(f)),
           uf(sqrtf(f)));
  }
  return 0;
}
