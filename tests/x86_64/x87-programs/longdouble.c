/* long double end to end on x86_64: the x87 through printf("%Lf"/"%La"),
 * strtold, the four operations and sqrtl, libm (fmodl, remainderl, rounding,
 * ldexpl/frexpl, exp/log/pow/trig), integer and float conversions, compares,
 * rounding modes and exception flags through <fenv.h>. Transcendental
 * results are printed to 15 digits: the x87's own results are not correctly
 * rounded, so only what any faithful implementation agrees on is compared. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long double sink;

static void show(const char *what, long double v) {
  printf("%-10s %La  %.21Lg  %Lf\n", what, v, v, v);
}

int main(void) {
  const char *texts[] = {"3.14159265358979323846264338327950288", "1e4932", "1e-4950", "-0x1.fffffffffffffffep+16383", "0.1", "inf", "-nan", "123456789012345678901234567890"};
  for (unsigned i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    char *end;
    long double v = strtold(texts[i], &end);
    printf("strtold(%s) = %La  %.25Lg\n", texts[i], v, v);
  }
  volatile long double a = 1.0L / 3.0L, b = 2.0L / 7.0L, c = -1e-4940L;
  show("a+b", a + b);
  show("a-b", a - b);
  show("a*b", a * b);
  show("a/b", a / b);
  show("sqrt(2)", sqrtl(2.0L));
  show("c*c", c * c);
  show("c/3", c / 3.0L);
  show("big*big", 1e4000L * 1e4000L);
  show("fmodl", fmodl(1e30L, 3.25L));
  show("remainder", remainderl(1e20L, 7.5L));
  show("floorl", floorl(-2.5L));
  show("ceill", ceill(-2.5L));
  show("truncl", truncl(-2.7L));
  show("roundl", roundl(2.5L));
  show("rintl", rintl(3.5L));
  show("ldexpl", ldexpl(a, 1000));
  int e;
  long double m = frexpl(b * 1e100L, &e);
  printf("frexpl     %La %d\n", m, e);
  printf("expl       %.15Lg\n", expl(1.5L));
  printf("logl       %.15Lg\n", logl(10.0L));
  printf("powl       %.15Lg\n", powl(2.5L, 3.75L));
  printf("sinl       %.15Lg\n", sinl(1.0L));
  printf("cosl       %.15Lg\n", cosl(1.0L));
  printf("tanl       %.15Lg\n", tanl(0.5L));
  printf("atan2l     %.15Lg\n", atan2l(1.0L, -2.0L));
  printf("log2l      %.15Lg\n", log2l(3.0L));
  printf("expm1l     %.15Lg\n", expm1l(1e-10L));
  printf("log1pl     %.15Lg\n", log1pl(1e-10L));
  long long ll = (long long)(a * 1e18L);
  printf("ll         %lld\n", ll);
  printf("ld(ll)     %La\n", (long double)(ll * 3 + 1));
  printf("double     %a\n", (double)b);
  printf("float      %a\n", (float)b);
  printf("compare    %d %d %d %d\n", a < b, a > b, a == a, isunordered(a, (long double)NAN));
  int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  for (int i = 0; i < 4; i++) {
    fesetround(modes[i]);
    volatile long double x = 1.0L, y = 3.0L;
    printf("mode %d     %La %La %lld\n", i, x / y, -x / y, llrintl(-2.5L));
  }
  fesetround(FE_TONEAREST);
  feclearexcept(FE_ALL_EXCEPT);
  volatile long double zero = 0.0L;
  sink = 1.0L / zero;
  printf("flags      div %d inexact %d\n", !!fetestexcept(FE_DIVBYZERO), !!fetestexcept(FE_INEXACT));
  feclearexcept(FE_ALL_EXCEPT);
  sink = a * b;
  printf("flags      div %d inexact %d\n", !!fetestexcept(FE_DIVBYZERO), !!fetestexcept(FE_INEXACT));
  long double sum = 0;
  for (int i = 1; i <= 1000; i++) sum += 1.0L / i;
  show("harmonic", sum);
  return 0;
}
