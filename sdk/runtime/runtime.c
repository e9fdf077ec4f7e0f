/* The native runtime: console output through the debug capability, exit through the thread's. */
#include <salty.h>

const struct salty_boot_info *salty_boot;

static salty_u64 length(const char *s) {
  salty_u64 n = 0;
  while (s[n]) n++;
  return n;
}

void salty_puts(const char *s) {
  salty_debug_write(salty_boot->debug_slot, s, length(s));
}

void salty_put_dec(salty_i64 n) {
  char buf[24];
  int i = sizeof buf;
  salty_u64 u = n < 0 ? -(salty_u64)n : (salty_u64)n;
  do {
    buf[--i] = '0' + u % 10;
    u /= 10;
  } while (u);
  if (n < 0) buf[--i] = '-';
  salty_debug_write(salty_boot->debug_slot, buf + i, sizeof buf - i);
}

void salty_put_hex(salty_u64 n) {
  char buf[18];
  int i = sizeof buf;
  do {
    buf[--i] = "0123456789abcdef"[n & 15];
    n >>= 4;
  } while (n);
  buf[--i] = 'x';
  buf[--i] = '0';
  salty_debug_write(salty_boot->debug_slot, buf + i, sizeof buf - i);
}

void salty_put_field(const char *name, salty_i64 value) {
  salty_puts(name);
  salty_puts(" = ");
  salty_put_dec(value);
  salty_puts("\n");
}

const char *salty_error_name(salty_u64 e) {
  static const char *const names[] = {"ok", "invalid capability", "wrong object type", "illegal label", "invalid argument", "out of range", "misaligned", "insufficient rights", "slot occupied", "not enough memory", "region overlap", "bad address", "cancelled", "no reply target", "illegal operation"};
  return e < sizeof names / sizeof names[0] ? names[e] : "unknown error";
}

void salty_exit(salty_i64 status) {
  salty_thread_exit(salty_boot->thread_slot, status);
  salty_undefined_instruction();
}

/* The compiler may call these for struct copies and zeroing even when freestanding. */
void *memset(void *dst, int c, unsigned long n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--) *d++ = *s++;
  return dst;
}
