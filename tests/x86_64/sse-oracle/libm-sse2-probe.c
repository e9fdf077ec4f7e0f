// Calls glibc's SSE2 variants of its libm kernels directly (the ones its
// ifunc resolvers pick on a CPU without FMA/AVX) on a seeded input stream in
// their domains (no errno paths), printing "name x y result" as bit patterns.
// tests/x86_64/sse-glibc-functions.test.ts calls the same functions of the
// same binary on our CPU with the same inputs.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern double __sin_sse2(double), __cos_sse2(double), __ieee754_exp_sse2(double), __ieee754_log_sse2(double);
extern double __ieee754_pow_sse2(double, double), __ieee754_atan2_sse2(double, double);
extern float __expf_sse2(float), __logf_sse2(float), __sinf_sse2(float);

static uint64_t s = 0x13198a2e03707344ull;
static uint64_t next(void) {
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return s;
}
static double unit(void) { return (double)(next() >> 11) / 9007199254740992.0; }
static unsigned long long b64(double x) {
  unsigned long long v;
  memcpy(&v, &x, 8);
  return v;
}
static unsigned b32(float x) {
  unsigned v;
  memcpy(&v, &x, 4);
  return v;
}

int main(void) {
  for (int i = 0; i < 300; i++) {
    double x = (unit() - 0.5) * (i % 3 == 0 ? 20.0 : i % 3 == 1 ? 2e5 : 1e-3);
    double p = unit() * 100.0 + 1e-300;
    double e = (unit() - 0.5) * 1400.0;
    double y = (unit() - 0.5) * 50.0;
    float f = (float)x;
    float fp = (float)(unit() * 1e6 + 1e-30);
    printf("sin %016llx 0 %016llx\n", b64(x), b64(__sin_sse2(x)));
    printf("cos %016llx 0 %016llx\n", b64(x), b64(__cos_sse2(x)));
    printf("exp %016llx 0 %016llx\n", b64(e), b64(__ieee754_exp_sse2(e)));
    printf("log %016llx 0 %016llx\n", b64(p), b64(__ieee754_log_sse2(p)));
    printf("pow %016llx %016llx %016llx\n", b64(p), b64(y), b64(__ieee754_pow_sse2(p, y)));
    printf("atan2 %016llx %016llx %016llx\n", b64(x), b64(y), b64(__ieee754_atan2_sse2(x, y)));
    printf("expf %08x 0 %08x\n", b32(f / 4), b32(__expf_sse2(f / 4)));
    printf("logf %08x 0 %08x\n", b32(fp), b32(__logf_sse2(fp)));
    printf("sinf %08x 0 %08x\n", b32(f), b32(__sinf_sse2(f)));
  }
  return 0;
}
