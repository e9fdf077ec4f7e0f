/*
 * salty.h: the SaltyOS native ABI for C programs (docs/native-abi.md).
 *
 * One trap invokes a capability: n0 = slot, n1 = label, n2..n7 = arguments;
 * on return n0 = error (SALTY_OK or SALTY_E_*), n1 = value. The trap and the
 * registers n0..n7 are the arch's: `svc #0x5a17` with x0..x7 on aarch64,
 * `syscall` with rax = 0x5a17 and rdi, rsi, rdx, r10, r8, r9, r12, r13 on
 * x86_64 (salty_invoke below).
 * Every wrapper below returns the error and, where the label has a value
 * worth keeping, stores it through an out pointer (which may be NULL).
 *
 * A program links with the runtime (crt0.S, runtime.c): _start calls
 * salty_main(boot_info) and exits the thread with its return value.
 */
#ifndef SALTY_H
#define SALTY_H

typedef unsigned long salty_u64;
typedef long salty_i64;
typedef salty_u64 salty_slot;

/* ---- errors (n0) ---- */
enum {
  SALTY_OK = 0,
  SALTY_E_INVALID_CAPABILITY = 1,
  SALTY_E_WRONG_OBJECT_TYPE = 2,
  SALTY_E_ILLEGAL_LABEL = 3,
  SALTY_E_INVALID_ARGUMENT = 4,
  SALTY_E_OUT_OF_RANGE = 5,
  SALTY_E_MISALIGNED = 6,
  SALTY_E_INSUFFICIENT_RIGHTS = 7,
  SALTY_E_SLOT_OCCUPIED = 8,
  SALTY_E_NOT_ENOUGH_MEMORY = 9,
  SALTY_E_REGION_OVERLAP = 10,
  SALTY_E_BAD_ADDRESS = 11,
};

/* ---- labels (n1), grouped by object type ---- */
enum {
  SALTY_UNTYPED_RETYPE = 0x10,
  SALTY_UNTYPED_FREE_BYTES = 0x11,
  SALTY_MO_COMMIT = 0x20,
  SALTY_MO_DECOMMIT = 0x21,
  SALTY_MO_CLONE = 0x22,
  SALTY_VSPACE_MAP = 0x30,
  SALTY_VSPACE_UNMAP = 0x31,
  SALTY_VSPACE_PROTECT = 0x32,
  SALTY_CSPACE_COPY = 0x40,
  SALTY_CSPACE_MINT = 0x41,
  SALTY_CSPACE_DELETE = 0x42,
  SALTY_CSPACE_REVOKE = 0x43,
  SALTY_THREAD_EXIT = 0x50,
  SALTY_DEBUG_WRITE = 0x70,
  SALTY_DEBUG_STATS = 0x71,
};

/* Retype type codes, map/protect permissions, capability rights. */
enum { SALTY_TYPE_MEMORY_OBJECT = 1, SALTY_TYPE_VSPACE = 2, SALTY_TYPE_CSPACE = 3 };
enum { SALTY_PERM_R = 1, SALTY_PERM_W = 2, SALTY_PERM_X = 4 };
enum { SALTY_RIGHT_READ = 1, SALTY_RIGHT_WRITE = 2, SALTY_RIGHT_EXECUTE = 4, SALTY_RIGHT_MAP = 8, SALTY_RIGHT_GRANT = 16, SALTY_RIGHTS_ALL = 31 };

/* Words the debug console's stats label writes, in this order. */
enum {
  SALTY_STAT_FREE_FRAMES,
  SALTY_STAT_UNTYPED_RESERVED_FRAMES,
  SALTY_STAT_MO_DATA_FRAMES,
  SALTY_STAT_MO_META_FRAMES,
  SALTY_STAT_KERNEL_OBJECT_FRAMES,
  SALTY_STAT_PAGE_TABLE_FRAMES,
  SALTY_STAT_LIVE_MOS,
  SALTY_STAT_COMMITTED_PAGES,
  SALTY_STAT_ZERO_FILLS,
  SALTY_STAT_COW_COPIES,
  SALTY_STAT_DEMAND_FAULTS,
  SALTY_STAT_COW_FAULTS,
  SALTY_STAT_PAGER_FILLS,
  SALTY_STAT_MOS_CREATED,
  SALTY_STAT_MOS_DESTROYED,
  SALTY_STAT_WORDS
};

/* ---- boot info: a read-only page at SALTY_BOOT_INFO (also n0 at entry) ---- */
#define SALTY_BOOT_INFO 0x00007ffe00000000UL
#define SALTY_PAGE_SIZE 4096UL

struct salty_untyped_desc {
  salty_u64 slot;
  salty_u64 size_bits;
};

struct salty_segment_desc {
  salty_u64 slot;  /* its MemoryObject */
  salty_u64 va;
  salty_u64 pages;
  salty_u64 perms; /* SALTY_PERM_* */
};

struct salty_boot_info {
  char magic[8]; /* "SALTYBI1" */
  salty_u64 version;
  salty_u64 page_size;
  salty_u64 cspace_slot;
  salty_u64 cspace_slots;
  salty_u64 vspace_slot;
  salty_u64 thread_slot;
  salty_u64 debug_slot;
  salty_u64 first_free_slot;
  salty_u64 end_free_slot; /* exclusive */
  salty_u64 untyped_count;
  salty_u64 segment_count;
  salty_u64 stack_slot;
  salty_u64 stack_base;
  salty_u64 stack_pages;
  salty_u64 untyped0_bytes;
  struct salty_untyped_desc untypeds[8];
  struct salty_segment_desc segments[16];
};

/* ---- the trap ---- */
struct salty_result {
  salty_u64 error;
  salty_u64 value;
};

#if defined(__aarch64__)
/* aarch64: svc #0x5a17; x0 slot, x1 label, x2..x7 arguments; x0 error, x1 value. */
static inline struct salty_result salty_invoke(salty_slot slot, salty_u64 label, salty_u64 a0, salty_u64 a1, salty_u64 a2, salty_u64 a3, salty_u64 a4, salty_u64 a5) {
  register salty_u64 x0 __asm__("x0") = slot;
  register salty_u64 x1 __asm__("x1") = label;
  register salty_u64 x2 __asm__("x2") = a0;
  register salty_u64 x3 __asm__("x3") = a1;
  register salty_u64 x4 __asm__("x4") = a2;
  register salty_u64 x5 __asm__("x5") = a3;
  register salty_u64 x6 __asm__("x6") = a4;
  register salty_u64 x7 __asm__("x7") = a5;
  __asm__ volatile("svc #0x5a17" : "+r"(x0), "+r"(x1) : "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x6), "r"(x7) : "memory");
  struct salty_result r = {x0, x1};
  return r;
}
#elif defined(__x86_64__)
/*
 * x86_64: syscall with rax = SALTY_TRAP_RAX; rdi slot, rsi label, rdx, r10,
 * r8, r9, r12, r13 arguments; rdi error, rsi value. SYSCALL itself
 * overwrites rcx and r11; every other register is preserved.
 */
#define SALTY_TRAP_RAX 0x5a17UL
static inline struct salty_result salty_invoke(salty_slot slot, salty_u64 label, salty_u64 a0, salty_u64 a1, salty_u64 a2, salty_u64 a3, salty_u64 a4, salty_u64 a5) {
  register salty_u64 r10 __asm__("r10") = a1;
  register salty_u64 r8 __asm__("r8") = a2;
  register salty_u64 r9 __asm__("r9") = a3;
  register salty_u64 r12 __asm__("r12") = a4;
  register salty_u64 r13 __asm__("r13") = a5;
  salty_u64 rax = SALTY_TRAP_RAX;
  __asm__ volatile("syscall" : "+D"(slot), "+S"(label), "+a"(rax) : "d"(a0), "r"(r10), "r"(r8), "r"(r9), "r"(r12), "r"(r13) : "rcx", "r11", "memory");
  struct salty_result r = {slot, label};
  return r;
}
#else
#error "the SaltyOS SDK builds for aarch64 and x86_64"
#endif

/* The stack pointer now, and an instruction that never completes (the kernel ends the process on it). */
static inline salty_u64 salty_stack_pointer(void) {
  salty_u64 sp;
#if defined(__aarch64__)
  __asm__ volatile("mov %0, sp" : "=r"(sp));
#else
  __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#endif
  return sp;
}
__attribute__((noreturn)) static inline void salty_undefined_instruction(void) {
  for (;;) {
#if defined(__aarch64__)
    __asm__ volatile("udf #0");
#else
    __asm__ volatile("ud2");
#endif
  }
}

static inline salty_u64 salty_value(struct salty_result r, salty_u64 *out) {
  if (out && r.error == SALTY_OK) *out = r.value;
  return r.error;
}

/* ---- Untyped ---- */
/* Carves an object of type (SALTY_TYPE_*) into the empty slot dest; pages for a MemoryObject. */
static inline salty_u64 salty_untyped_retype(salty_slot untyped, salty_u64 type, salty_slot dest, salty_u64 pages) {
  return salty_invoke(untyped, SALTY_UNTYPED_RETYPE, type, dest, pages, 0, 0, 0).error;
}
static inline salty_u64 salty_untyped_free_bytes(salty_slot untyped, salty_u64 *bytes) {
  return salty_value(salty_invoke(untyped, SALTY_UNTYPED_FREE_BYTES, 0, 0, 0, 0, 0, 0), bytes);
}

/* ---- MemoryObject ---- */
/* Makes pages [first, first + count) resident; their frames are retyped out of untyped (the object's own). */
static inline salty_u64 salty_mo_commit(salty_slot mo, salty_u64 first, salty_u64 count, salty_slot untyped) {
  return salty_invoke(mo, SALTY_MO_COMMIT, first, count, untyped, 0, 0, 0).error;
}
static inline salty_u64 salty_mo_decommit(salty_slot mo, salty_u64 first, salty_u64 count) {
  return salty_invoke(mo, SALTY_MO_DECOMMIT, first, count, 0, 0, 0, 0).error;
}
/* A copy-on-write clone into dest; its header and frames come from untyped. */
static inline salty_u64 salty_mo_clone(salty_slot mo, salty_slot untyped, salty_slot dest) {
  return salty_invoke(mo, SALTY_MO_CLONE, untyped, dest, 0, 0, 0, 0).error;
}

/* ---- VSpace ---- */
static inline salty_u64 salty_vspace_map(salty_slot vspace, salty_slot mo, salty_u64 va, salty_u64 pages, salty_u64 mo_page, salty_u64 perms) {
  return salty_invoke(vspace, SALTY_VSPACE_MAP, mo, va, pages, mo_page, perms, 0).error;
}
static inline salty_u64 salty_vspace_unmap(salty_slot vspace, salty_u64 va, salty_u64 pages) {
  return salty_invoke(vspace, SALTY_VSPACE_UNMAP, va, pages, 0, 0, 0, 0).error;
}
static inline salty_u64 salty_vspace_protect(salty_slot vspace, salty_u64 va, salty_u64 pages, salty_u64 perms) {
  return salty_invoke(vspace, SALTY_VSPACE_PROTECT, va, pages, perms, 0, 0, 0).error;
}

/* ---- capability space ---- */
static inline salty_u64 salty_cspace_copy(salty_slot cspace, salty_slot src, salty_slot dest) {
  return salty_invoke(cspace, SALTY_CSPACE_COPY, src, dest, 0, 0, 0, 0).error;
}
static inline salty_u64 salty_cspace_mint(salty_slot cspace, salty_slot src, salty_slot dest, salty_u64 rights) {
  return salty_invoke(cspace, SALTY_CSPACE_MINT, src, dest, rights, 0, 0, 0).error;
}
static inline salty_u64 salty_cspace_delete(salty_slot cspace, salty_slot slot) {
  return salty_invoke(cspace, SALTY_CSPACE_DELETE, slot, 0, 0, 0, 0, 0).error;
}
/* Deletes every capability derived from slot (for an untyped's original: every object made from it). */
static inline salty_u64 salty_cspace_revoke(salty_slot cspace, salty_slot slot, salty_u64 *removed) {
  return salty_value(salty_invoke(cspace, SALTY_CSPACE_REVOKE, slot, 0, 0, 0, 0, 0), removed);
}

/* ---- thread ---- */
static inline salty_u64 salty_thread_exit(salty_slot thread, salty_i64 status) {
  return salty_invoke(thread, SALTY_THREAD_EXIT, (salty_u64)status, 0, 0, 0, 0, 0).error;
}

/* ---- debug console ---- */
static inline salty_u64 salty_debug_write(salty_slot debug, const void *buf, salty_u64 len) {
  return salty_invoke(debug, SALTY_DEBUG_WRITE, (salty_u64)buf, len, 0, 0, 0, 0).error;
}
static inline salty_u64 salty_debug_stats(salty_slot debug, salty_u64 *words, salty_u64 count) {
  return salty_invoke(debug, SALTY_DEBUG_STATS, (salty_u64)words, count, 0, 0, 0, 0).error;
}

/* ---- runtime (runtime.c) ---- */
extern const struct salty_boot_info *salty_boot;
int salty_main(const struct salty_boot_info *bi);
void salty_puts(const char *s);
void salty_put_dec(salty_i64 n);
void salty_put_hex(salty_u64 n);
/* Prints "name = value\n" (value in decimal). */
void salty_put_field(const char *name, salty_i64 value);
const char *salty_error_name(salty_u64 error);
__attribute__((noreturn)) void salty_exit(salty_i64 status);

#endif
