/*
 * memory: the tiers from a program. Retype a MemoryObject out of the
 * process's Untyped, commit pages (frames retyped out of the same Untyped),
 * map it, protect it, clone it copy-on-write, decommit, revoke the Untyped,
 * printing the tier statistics (as changes since the start) at each step.
 */
#include <salty.h>

#define VA 0x1000000000UL
#define CLONE_VA 0x1100000000UL
#define PAGES 16

static salty_u64 base[SALTY_STAT_WORDS], now[SALTY_STAT_WORDS];
static salty_slot ut, vs, cs, dbg;

static void delta(const char *name, int word) {
  salty_puts(name);
  salty_i64 d = (salty_i64)(now[word] - base[word]);
  salty_puts(d >= 0 ? " +" : " ");
  salty_put_dec(d);
}

static void stats(const char *step) {
  salty_u64 free = 0;
  salty_debug_stats(dbg, now, SALTY_STAT_WORDS);
  salty_untyped_free_bytes(ut, &free);
  salty_puts("[");
  salty_puts(step);
  salty_puts("]\n  frames:");
  delta(" data", SALTY_STAT_MO_DATA_FRAMES);
  delta(", metadata", SALTY_STAT_MO_META_FRAMES);
  delta(", kernel objects", SALTY_STAT_KERNEL_OBJECT_FRAMES);
  delta(", page tables", SALTY_STAT_PAGE_TABLE_FRAMES);
  salty_puts("\n  MemoryObjects:");
  delta(" live", SALTY_STAT_LIVE_MOS);
  delta(", zero-filled", SALTY_STAT_ZERO_FILLS);
  delta(", COW copies", SALTY_STAT_COW_COPIES);
  delta(", paged in from the file", SALTY_STAT_PAGER_FILLS);
  salty_puts("\n  untyped free bytes: ");
  salty_put_dec(free);
  salty_puts("\n");
}

static void check(const char *what, salty_u64 error, salty_u64 expected) {
  salty_puts(what);
  salty_puts(": ");
  salty_puts(salty_error_name(error));
  salty_puts(error == expected ? "\n" : " (UNEXPECTED)\n");
}

/* Faults in the stack pages the printing below uses, so the baseline holds them. */
__attribute__((noinline)) static void warm_stack(void) {
  volatile char pages[3 * SALTY_PAGE_SIZE];
  for (int i = 0; i < 3; i++) pages[i * SALTY_PAGE_SIZE] = 0;
  (void)pages[0];
}

static void show_byte(const char *what, volatile unsigned char *p) {
  salty_puts(what);
  salty_puts(" reads ");
  salty_put_dec(*p);
  salty_puts("\n");
}

int salty_main(const struct salty_boot_info *bi) {
  ut = bi->untypeds[0].slot;
  vs = bi->vspace_slot;
  cs = bi->cspace_slot;
  dbg = bi->debug_slot;
  salty_slot mo = bi->first_free_slot, clone = mo + 1, big = mo + 2;
  warm_stack();
  salty_debug_stats(dbg, now, SALTY_STAT_WORDS); /* touches both arrays' page before the baseline */
  salty_debug_stats(dbg, base, SALTY_STAT_WORDS);
  stats("start");

  check("retype a MemoryObject of 16 pages", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, mo, PAGES), SALTY_OK);
  stats("retyped");
  check("commit pages 0-3", salty_mo_commit(mo, 0, 4, ut), SALTY_OK);
  stats("committed 4 pages");

  check("map it read-write", salty_vspace_map(vs, mo, VA, PAGES, 0, SALTY_PERM_R | SALTY_PERM_W), SALTY_OK);
  volatile unsigned char *p = (volatile unsigned char *)VA;
  for (int i = 0; i < 4; i++) p[i * SALTY_PAGE_SIZE] = 'A' + i;
  stats("wrote the 4 committed pages");
  p[8 * SALTY_PAGE_SIZE] = 'X';
  stats("wrote page 8 (demand fault)");

  check("protect pages 0-1 read-only", salty_vspace_protect(vs, VA, 2, SALTY_PERM_R), SALTY_OK);
  show_byte("page 0", p);
  salty_slot ro = mo + 3;
  check("mint a read-only capability to it", salty_cspace_mint(cs, mo, ro, SALTY_RIGHT_READ | SALTY_RIGHT_MAP), SALTY_OK);
  check("map it writable through that", salty_vspace_map(vs, ro, CLONE_VA, 1, 0, SALTY_PERM_R | SALTY_PERM_W), SALTY_E_INSUFFICIENT_RIGHTS);
  check("delete the read-only capability", salty_cspace_delete(cs, ro), SALTY_OK);

  check("clone it copy-on-write", salty_mo_clone(mo, ut, clone), SALTY_OK);
  check("map the clone", salty_vspace_map(vs, clone, CLONE_VA, PAGES, 0, SALTY_PERM_R | SALTY_PERM_W), SALTY_OK);
  volatile unsigned char *q = (volatile unsigned char *)CLONE_VA;
  show_byte("clone page 0", q);
  stats("cloned, read the clone");
  q[0] = 'a';
  show_byte("clone page 0 after its write", q);
  show_byte("original page 0", p);
  stats("wrote the clone (COW copy)");
  p[2 * SALTY_PAGE_SIZE] = 'c';
  show_byte("original page 2 after its write", p + 2 * SALTY_PAGE_SIZE);
  show_byte("clone page 2", q + 2 * SALTY_PAGE_SIZE);
  stats("wrote the original (COW copy)");

  check("decommit original pages 2-3", salty_mo_decommit(mo, 2, 2), SALTY_OK);
  show_byte("original page 3", p + 3 * SALTY_PAGE_SIZE);
  show_byte("clone page 3", q + 3 * SALTY_PAGE_SIZE);
  stats("decommitted");

  check("retype a MemoryObject of 2^20 pages", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, big, 1UL << 20), SALTY_OK);
  salty_u64 free = 0;
  salty_untyped_free_bytes(ut, &free);
  check("commit more pages than the untyped holds", salty_mo_commit(big, 0, free / SALTY_PAGE_SIZE, ut), SALTY_E_NOT_ENOUGH_MEMORY);

  check("unmap both", salty_vspace_unmap(vs, VA, PAGES) | salty_vspace_unmap(vs, CLONE_VA, PAGES), SALTY_OK);
  salty_u64 removed = 0;
  check("revoke the untyped", salty_cspace_revoke(cs, ut, &removed), SALTY_OK);
  salty_put_field("capabilities removed", removed);
  check("commit through a revoked slot", salty_mo_commit(mo, 0, 1, ut), SALTY_E_INVALID_CAPABILITY);
  stats("revoked");
  /* Data frames still held beyond the baseline are the program's own file pages, paged in as its code ran. */
  int back = now[SALTY_STAT_MO_DATA_FRAMES] - base[SALTY_STAT_MO_DATA_FRAMES] == now[SALTY_STAT_PAGER_FILLS] - base[SALTY_STAT_PAGER_FILLS] && now[SALTY_STAT_MO_META_FRAMES] == base[SALTY_STAT_MO_META_FRAMES] && now[SALTY_STAT_PAGE_TABLE_FRAMES] == base[SALTY_STAT_PAGE_TABLE_FRAMES];
  salty_puts(back ? "every frame is back\n" : "frames are missing!\n");
  return 0;
}
