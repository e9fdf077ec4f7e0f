/*
 * bad-args: every label with every kind of bad argument (wrong slot, wrong
 * object type, illegal label, missing rights, unaligned or overlapping range,
 * exhausted untyped), each checked against the error the ABI promises, then
 * forged slots (random numbers) that must only give errors. Run it with a
 * small untyped (tests/native/bad-args.test.ts gives it 2^20 bytes); the test
 * also checks, kernel side, that no rejected call changed anything.
 */
#include <salty.h>

#define VA 0x2000000000UL
#define EMPTY 200
#define ERR(x) SALTY_E_##x

static int cases, mismatches;

static void want(const char *name, salty_u64 got, salty_u64 expected) {
  cases++;
  if (got == expected) return;
  mismatches++;
  salty_puts("MISMATCH ");
  salty_puts(name);
  salty_puts(": got ");
  salty_puts(salty_error_name(got));
  salty_puts(", want ");
  salty_puts(salty_error_name(expected));
  salty_puts("\n");
}

static salty_u64 call(salty_slot slot, salty_u64 label, salty_u64 a0, salty_u64 a1, salty_u64 a2, salty_u64 a3, salty_u64 a4) {
  return salty_invoke(slot, label, a0, a1, a2, a3, a4, 0).error;
}

static salty_u64 rng = 0x243f6a8885a308d3UL;
static salty_u64 next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

int salty_main(const struct salty_boot_info *bi) {
  const salty_slot cs = bi->cspace_slot, ut = bi->untypeds[0].slot, vs = bi->vspace_slot, th = bi->thread_slot, dbg = bi->debug_slot;
  const salty_slot text = bi->segments[0].slot;
  salty_slot f = bi->first_free_slot;
  const salty_slot mo = f++, mo_ro = f++, mo_wo = f++, ut_ro = f++, vs_nomap = f++, cs_ro = f++;
  want("setup: retype", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, mo, 4), SALTY_OK);
  want("setup: mint mo_ro", salty_cspace_mint(cs, mo, mo_ro, SALTY_RIGHT_READ | SALTY_RIGHT_MAP), SALTY_OK);
  want("setup: mint mo_wo", salty_cspace_mint(cs, mo, mo_wo, SALTY_RIGHT_WRITE | SALTY_RIGHT_MAP), SALTY_OK);
  want("setup: mint ut_ro", salty_cspace_mint(cs, ut, ut_ro, SALTY_RIGHT_READ), SALTY_OK);
  want("setup: mint vs_nomap", salty_cspace_mint(cs, vs, vs_nomap, SALTY_RIGHTS_ALL & ~SALTY_RIGHT_MAP), SALTY_OK);
  want("setup: mint cs_ro", salty_cspace_mint(cs, cs, cs_ro, SALTY_RIGHT_READ), SALTY_OK);

  /* The entry: slots that name nothing, labels of another object type. */
  want("empty slot", call(EMPTY, SALTY_UNTYPED_RETYPE, SALTY_TYPE_MEMORY_OBJECT, f, 1, 0, 0), ERR(INVALID_CAPABILITY));
  want("slot 256", call(256, SALTY_UNTYPED_RETYPE, 1, f, 1, 0, 0), ERR(INVALID_CAPABILITY));
  want("slot 2^63", call(1UL << 63, SALTY_UNTYPED_RETYPE, 1, f, 1, 0, 0), ERR(INVALID_CAPABILITY));
  want("slot -1", call(~0UL, SALTY_UNTYPED_RETYPE, 1, f, 1, 0, 0), ERR(INVALID_CAPABILITY));
  want("unknown label", call(ut, 0x99, 0, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));
  want("commit on an untyped", call(ut, SALTY_MO_COMMIT, 0, 1, ut, 0, 0), ERR(ILLEGAL_LABEL));
  want("map on a cspace", call(cs, SALTY_VSPACE_MAP, mo, VA, 1, 0, 1), ERR(ILLEGAL_LABEL));
  want("retype on a MemoryObject", call(mo, SALTY_UNTYPED_RETYPE, 1, f, 1, 0, 0), ERR(ILLEGAL_LABEL));
  want("exit on the debug console", call(dbg, SALTY_THREAD_EXIT, 0, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));
  want("debug write on the thread", call(th, SALTY_DEBUG_WRITE, (salty_u64)"x", 1, 0, 0, 0), ERR(ILLEGAL_LABEL));
  want("revoke on a VSpace", call(vs, SALTY_CSPACE_REVOKE, mo, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));

  /* Untyped retype. */
  want("retype type 0", salty_untyped_retype(ut, 0, f, 1), ERR(INVALID_ARGUMENT));
  want("retype type 9", salty_untyped_retype(ut, 9, f, 1), ERR(INVALID_ARGUMENT));
  want("retype into an occupied slot", salty_untyped_retype(ut, SALTY_TYPE_VSPACE, cs, 0), ERR(SLOT_OCCUPIED));
  want("retype into slot 256", salty_untyped_retype(ut, SALTY_TYPE_VSPACE, 256, 0), ERR(OUT_OF_RANGE));
  want("retype into slot -1", salty_untyped_retype(ut, SALTY_TYPE_VSPACE, ~0UL, 0), ERR(OUT_OF_RANGE));
  want("retype 0 pages", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, f, 0), ERR(INVALID_ARGUMENT));
  want("retype 2^36+1 pages", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, f, (1UL << 36) + 1), ERR(OUT_OF_RANGE));
  want("retype without the write right", salty_untyped_retype(ut_ro, SALTY_TYPE_MEMORY_OBJECT, f, 1), ERR(INSUFFICIENT_RIGHTS));
  salty_u64 bytes = 0;
  want("free bytes through a read-only capability", salty_untyped_free_bytes(ut_ro, &bytes), SALTY_OK);

  /* MemoryObject commit, decommit, clone. */
  want("commit 0 pages", salty_mo_commit(mo, 0, 0, ut), ERR(INVALID_ARGUMENT));
  want("commit past the end", salty_mo_commit(mo, 3, 2, ut), ERR(OUT_OF_RANGE));
  want("commit from page -1", salty_mo_commit(mo, ~0UL, 1, ut), ERR(INVALID_ARGUMENT));
  want("commit without the write right", salty_mo_commit(mo_ro, 0, 1, ut), ERR(INSUFFICIENT_RIGHTS));
  want("commit paid by a VSpace", salty_mo_commit(mo, 0, 1, vs), ERR(WRONG_OBJECT_TYPE));
  want("commit paid by an empty slot", salty_mo_commit(mo, 0, 1, EMPTY), ERR(INVALID_CAPABILITY));
  want("commit of a segment (the boot untyped pays, not this one)", salty_mo_commit(text, 0, 1, ut), ERR(INSUFFICIENT_RIGHTS));
  want("decommit 0 pages", salty_mo_decommit(mo, 0, 0), ERR(INVALID_ARGUMENT));
  want("decommit past the end", salty_mo_decommit(mo, 4, 1), ERR(OUT_OF_RANGE));
  want("decommit without the write right", salty_mo_decommit(mo_ro, 0, 1), ERR(INSUFFICIENT_RIGHTS));
  want("clone paid by a VSpace", salty_mo_clone(mo, vs, f), ERR(WRONG_OBJECT_TYPE));
  want("clone paid by an empty slot", salty_mo_clone(mo, EMPTY, f), ERR(INVALID_CAPABILITY));
  want("clone into an occupied slot", salty_mo_clone(mo, ut, cs), ERR(SLOT_OCCUPIED));
  want("clone into slot 256", salty_mo_clone(mo, ut, 256), ERR(OUT_OF_RANGE));
  want("clone without the read right", salty_mo_clone(mo_wo, ut, f), ERR(INSUFFICIENT_RIGHTS));

  /* VSpace map, unmap, protect. */
  const salty_u64 rw = SALTY_PERM_R | SALTY_PERM_W;
  want("map at an unaligned address", salty_vspace_map(vs, mo, VA + 8, 1, 0, rw), ERR(MISALIGNED));
  want("map 0 pages", salty_vspace_map(vs, mo, VA, 0, 0, rw), ERR(INVALID_ARGUMENT));
  want("map past the user half", salty_vspace_map(vs, mo, (1UL << 48) - 4096, 2, 0, rw), ERR(OUT_OF_RANGE));
  want("map past the object's end", salty_vspace_map(vs, mo, VA, 2, 3, rw), ERR(OUT_OF_RANGE));
  want("map with permission bits 8", salty_vspace_map(vs, mo, VA, 1, 0, 8), ERR(INVALID_ARGUMENT));
  want("map an untyped", salty_vspace_map(vs, ut, VA, 1, 0, rw), ERR(WRONG_OBJECT_TYPE));
  want("map an empty slot", salty_vspace_map(vs, EMPTY, VA, 1, 0, rw), ERR(INVALID_CAPABILITY));
  want("map read-write through a read-only capability", salty_vspace_map(vs, mo_ro, VA, 1, 0, rw), ERR(INSUFFICIENT_RIGHTS));
  want("map through a VSpace capability without the map right", salty_vspace_map(vs_nomap, mo, VA, 1, 0, rw), ERR(INSUFFICIENT_RIGHTS));
  want("map over the program's text", salty_vspace_map(vs, mo, bi->segments[0].va, 1, 0, rw), ERR(REGION_OVERLAP));
  want("setup: map read-only", salty_vspace_map(vs, mo_ro, VA, 2, 0, SALTY_PERM_R), SALTY_OK);
  want("map over that", salty_vspace_map(vs, mo, VA + 4096, 2, 0, rw), ERR(REGION_OVERLAP));
  want("unmap at an unaligned address", salty_vspace_unmap(vs, VA + 1, 1), ERR(MISALIGNED));
  want("unmap 0 pages", salty_vspace_unmap(vs, VA, 0), ERR(INVALID_ARGUMENT));
  want("unmap past the user half", salty_vspace_unmap(vs, 1UL << 48, 1), ERR(OUT_OF_RANGE));
  want("unmap without the map right", salty_vspace_unmap(vs_nomap, VA, 1), ERR(INSUFFICIENT_RIGHTS));
  want("protect with permission bits 9", salty_vspace_protect(vs, VA, 1, 9), ERR(INVALID_ARGUMENT));
  want("protect at an unaligned address", salty_vspace_protect(vs, VA + 8, 1, SALTY_PERM_R), ERR(MISALIGNED));
  want("protect beyond the mapping capability's rights", salty_vspace_protect(vs, VA, 1, rw), ERR(INSUFFICIENT_RIGHTS));

  /* Capability space. */
  want("copy an empty slot", salty_cspace_copy(cs, EMPTY, f), ERR(INVALID_CAPABILITY));
  want("copy into an occupied slot", salty_cspace_copy(cs, mo, ut), ERR(SLOT_OCCUPIED));
  want("copy into slot 256", salty_cspace_copy(cs, mo, 256), ERR(OUT_OF_RANGE));
  want("mint wider rights", salty_cspace_mint(cs, mo_ro, f, rw), ERR(INSUFFICIENT_RIGHTS));
  want("mint rights 64", salty_cspace_mint(cs, mo, f, 64), ERR(INVALID_ARGUMENT));
  want("delete an empty slot", salty_cspace_delete(cs, EMPTY), ERR(INVALID_CAPABILITY));
  want("revoke an empty slot", salty_cspace_revoke(cs, EMPTY, 0), ERR(INVALID_CAPABILITY));
  want("revoke slot 2^40", salty_cspace_revoke(cs, 1UL << 40, 0), ERR(INVALID_CAPABILITY));
  want("delete through a read-only cspace capability", salty_cspace_delete(cs_ro, mo), ERR(INSUFFICIENT_RIGHTS));

  /* Thread and debug console. */
  want("exit with status 2^63", salty_thread_exit(th, (salty_i64)(1UL << 63)), ERR(INVALID_ARGUMENT));
  want("debug write from address 16", salty_debug_write(dbg, (void *)16, 4), ERR(BAD_ADDRESS));
  want("debug write of 65537 bytes", salty_debug_write(dbg, "x", 65537), ERR(OUT_OF_RANGE));
  want("debug write from address 2^60", salty_debug_write(dbg, (void *)(1UL << 60), 1), ERR(INVALID_ARGUMENT));
  want("debug write across the stack's end", salty_debug_write(dbg, (void *)(bi->stack_base - 8), 16), ERR(BAD_ADDRESS));
  want("stats into the read-only text", salty_debug_stats(dbg, (salty_u64 *)bi->segments[0].va, 2), ERR(BAD_ADDRESS));
  salty_u64 words[SALTY_STAT_WORDS + 1];
  want("stats of one word too many", salty_debug_stats(dbg, words, SALTY_STAT_WORDS + 1), ERR(OUT_OF_RANGE));

  /* Exhausting the untyped: commits, then objects, then a clone. */
  const salty_slot big = f++;
  want("setup: retype a big object", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, big, 1UL << 20), SALTY_OK);
  salty_untyped_free_bytes(ut, &bytes);
  want("commit all the untyped's bytes as pages", salty_mo_commit(big, 0, bytes / 4096, ut), ERR(NOT_ENOUGH_MEMORY));
  salty_u64 page = 0, e;
  while ((e = salty_mo_commit(big, page, 8, ut)) == SALTY_OK) page += 8;
  want("commits of 8 pages until the untyped is full", e, ERR(NOT_ENOUGH_MEMORY));
  while ((e = salty_mo_commit(big, page, 1, ut)) == SALTY_OK) page++;
  want("commits of a page until the untyped is full", e, ERR(NOT_ENOUGH_MEMORY));
  want("commit one more page", salty_mo_commit(big, page, 1, ut), ERR(NOT_ENOUGH_MEMORY));
  while ((e = salty_untyped_retype(ut, SALTY_TYPE_CSPACE, f, 0)) == SALTY_OK) f++;
  want("capability spaces until the untyped is full", e, ERR(NOT_ENOUGH_MEMORY));
  want("a VSpace from a full untyped", salty_untyped_retype(ut, SALTY_TYPE_VSPACE, f, 0), ERR(NOT_ENOUGH_MEMORY));
  while ((e = salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, f, 1)) == SALTY_OK) f++;
  want("MemoryObjects until the untyped is full", e, ERR(NOT_ENOUGH_MEMORY));
  want("a clone from a full untyped", salty_mo_clone(mo, ut, f), ERR(NOT_ENOUGH_MEMORY));

  /* Forged capabilities: random numbers as slots and labels only give errors. */
  int forged_ok = 0;
  for (int i = 0; i < 300; i++) {
    salty_u64 slot = next_random();
    if (i % 3 == 0) slot = f + 1 + slot % (256 - f - 1); /* an empty slot below 256 */
    salty_u64 label = next_random() & 0xff;
    if (salty_invoke(slot, label, next_random(), next_random(), next_random(), next_random(), next_random(), next_random()).error == SALTY_OK) forged_ok++;
  }
  want("forged slots that worked", forged_ok, 0);

  salty_put_field("cases", cases);
  salty_put_field("mismatches", mismatches);
  return mismatches;
}
