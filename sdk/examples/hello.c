/* hello: reads the boot-info page and writes to the debug console. */
#include <salty.h>

static void segment_line(const struct salty_segment_desc *s) {
  salty_puts("  segment: slot ");
  salty_put_dec(s->slot);
  salty_puts(", address ");
  salty_put_hex(s->va);
  salty_puts(", pages ");
  salty_put_dec(s->pages);
  salty_puts(", ");
  salty_puts(s->perms & SALTY_PERM_R ? "r" : "-");
  salty_puts(s->perms & SALTY_PERM_W ? "w" : "-");
  salty_puts(s->perms & SALTY_PERM_X ? "x" : "-");
  salty_puts("\n");
}

int salty_main(const struct salty_boot_info *bi) {
  salty_puts("hello from a native SaltyOS program\n");
  salty_puts(bi == (const struct salty_boot_info *)SALTY_BOOT_INFO ? "boot info at its fixed address\n" : "boot info somewhere else!\n");
  for (int i = 0; i < 8; i++)
    if (bi->magic[i] != "SALTYBI1"[i]) return 2;
  salty_put_field("version", bi->version);
  salty_put_field("page size", bi->page_size);
  salty_put_field("cspace slot", bi->cspace_slot);
  salty_put_field("cspace slots", bi->cspace_slots);
  salty_put_field("vspace slot", bi->vspace_slot);
  salty_put_field("thread slot", bi->thread_slot);
  salty_put_field("debug slot", bi->debug_slot);
  salty_put_field("stack slot", bi->stack_slot);
  salty_puts("stack base ");
  salty_put_hex(bi->stack_base);
  salty_puts("\n");
  salty_put_field("stack pages", bi->stack_pages);
  salty_put_field("untypeds", bi->untyped_count);
  for (salty_u64 i = 0; i < bi->untyped_count; i++) {
    salty_puts("  untyped: slot ");
    salty_put_dec(bi->untypeds[i].slot);
    salty_puts(", 2^");
    salty_put_dec(bi->untypeds[i].size_bits);
    salty_puts(" bytes\n");
  }
  salty_put_field("segments", bi->segment_count);
  for (salty_u64 i = 0; i < bi->segment_count; i++) segment_line(&bi->segments[i]);
  salty_puts("free slots ");
  salty_put_dec(bi->first_free_slot);
  salty_puts("..");
  salty_put_dec(bi->end_free_slot - 1);
  salty_puts("\n");
  salty_u64 free = 0;
  salty_u64 e = salty_untyped_free_bytes(bi->untypeds[0].slot, &free);
  salty_puts("untyped free bytes: ");
  salty_put_dec(free);
  salty_puts(" (");
  salty_puts(salty_error_name(e));
  salty_puts(")\n");
  return 0;
}
