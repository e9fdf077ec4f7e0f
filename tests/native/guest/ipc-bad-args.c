/*
 * ipc-bad-args: the endpoint, notification, thread, pager and mint-from labels with every
 * kind of bad argument (wrong slot, wrong object type, missing rights, an
 * endpoint capability that cannot receive, a reply with nobody to answer, a
 * thread in the wrong state, an exhausted untyped), each checked against the
 * error the ABI promises, then forged slots. tests/native/ipc-bad-args.test.ts
 * checks kernel side that no rejected call changed anything; it gives the
 * program an untyped of 2^16 bytes, so the exhaustion cases fill it.
 */
#include <salty-ipc.h>

#define ERR(x) SALTY_E_##x
#define NO SALTY_NO_SLOT

static int cases, mismatches;

static void want(const char *name, salty_u64 got, salty_u64 expected) {
  cases++;
  if (got == expected) return;
  mismatches++;
  salty_puts("MISMATCH ");
  salty_puts(name);
  salty_puts(": got ");
  salty_put_dec(got);
  salty_puts(", want ");
  salty_put_dec(expected);
  salty_puts("\n");
}

static salty_u64 msg(salty_slot slot, salty_u64 label, salty_u64 a0, salty_u64 a1, salty_u64 a2, salty_u64 a3, salty_u64 a4, salty_u64 a5) {
  const salty_u64 in[6] = {a0, a1, a2, a3, a4, a5};
  struct salty_msg m;
  return salty_invoke_msg(slot, label, in, &m);
}

static salty_u64 rng = 0x13198a2e03707344UL;
static salty_u64 next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

int salty_main(const struct salty_boot_info *bi) {
  const salty_slot cs = bi->cspace_slot, ut = bi->untypeds[0].slot, vs = bi->vspace_slot, dbg = bi->debug_slot;
  salty_slot f = bi->first_free_slot;
  const salty_slot ep = f++, ep_w = f++, ep_r = f++, ep_wr = f++, mo = f++, mo_ro = f++, th = f++, th_ro = f++, cs2 = f++, cs_ro = f++, vs2 = f++;
  const salty_u64 R = SALTY_RIGHT_READ, W = SALTY_RIGHT_WRITE;
  want("setup: endpoint", salty_untyped_retype(ut, SALTY_TYPE_ENDPOINT, ep, 0), SALTY_OK);
  want("setup: mint ep_w", salty_cspace_mint(cs, ep, ep_w, W), SALTY_OK);
  want("setup: mint ep_r", salty_cspace_mint(cs, ep, ep_r, R), SALTY_OK);
  want("setup: mint ep_wr", salty_cspace_mint(cs, ep, ep_wr, W | R), SALTY_OK);
  want("setup: mo", salty_untyped_retype(ut, SALTY_TYPE_MEMORY_OBJECT, mo, 2), SALTY_OK);
  want("setup: mint mo_ro", salty_cspace_mint(cs, mo, mo_ro, R | SALTY_RIGHT_MAP), SALTY_OK);
  want("setup: thread", salty_untyped_retype(ut, SALTY_TYPE_THREAD, th, 0), SALTY_OK);
  want("setup: mint th_ro", salty_cspace_mint(cs, th, th_ro, R), SALTY_OK);
  want("setup: cspace", salty_untyped_retype(ut, SALTY_TYPE_CSPACE, cs2, 0), SALTY_OK);
  want("setup: mint cs_ro", salty_cspace_mint(cs, cs2, cs_ro, R), SALTY_OK);
  want("setup: vspace", salty_untyped_retype(ut, SALTY_TYPE_VSPACE, vs2, 0), SALTY_OK);

  /* Endpoints: rights, transfers, receive slots, the reply slot, labels of other types. */
  want("send without write", msg(ep_r, SALTY_ENDPOINT_SEND, 1, 2, 3, 4, NO, 0), ERR(INSUFFICIENT_RIGHTS));
  want("call without write", msg(ep_r, SALTY_ENDPOINT_CALL, 1, 2, 3, 4, NO, 0), ERR(INSUFFICIENT_RIGHTS));
  want("receive without read (no receiver capability)", msg(ep_w, SALTY_ENDPOINT_RECEIVE, NO, 0, 0, 0, 0, 0), ERR(INSUFFICIENT_RIGHTS));
  want("reply-receive without read", msg(ep_w, SALTY_ENDPOINT_REPLY_RECEIVE, 0, 0, 0, 0, NO, 0), ERR(INSUFFICIENT_RIGHTS));
  want("transfer without grant", msg(ep_wr, SALTY_ENDPOINT_SEND, 0, 0, 0, 0, mo, R), ERR(INSUFFICIENT_RIGHTS));
  want("transfer of an empty slot", msg(ep, SALTY_ENDPOINT_SEND, 0, 0, 0, 0, 200, R), ERR(INVALID_CAPABILITY));
  want("transfer of slot 300", msg(ep, SALTY_ENDPOINT_SEND, 0, 0, 0, 0, 300, R), ERR(INVALID_CAPABILITY));
  want("transfer with more rights than held", msg(ep, SALTY_ENDPOINT_SEND, 0, 0, 0, 0, mo_ro, W), ERR(INSUFFICIENT_RIGHTS));
  want("transfer with an unknown right", msg(ep, SALTY_ENDPOINT_CALL, 0, 0, 0, 0, mo, 64), ERR(INVALID_ARGUMENT));
  want("receive into an occupied slot", msg(ep, SALTY_ENDPOINT_RECEIVE, mo, 0, 0, 0, 0, 0), ERR(SLOT_OCCUPIED));
  want("receive into slot 256", msg(ep, SALTY_ENDPOINT_RECEIVE, 256, 0, 0, 0, 0, 0), ERR(OUT_OF_RANGE));
  want("reply with nobody to answer", msg(ep, SALTY_ENDPOINT_REPLY, 0, 0, 0, 0, 0, 0), ERR(NO_REPLY_TARGET));
  want("reply-receive with nobody to answer", msg(ep, SALTY_ENDPOINT_REPLY_RECEIVE, 0, 0, 0, 0, NO, 0), ERR(NO_REPLY_TARGET));
  want("send on a MemoryObject", msg(mo, SALTY_ENDPOINT_SEND, 0, 0, 0, 0, NO, 0), ERR(ILLEGAL_LABEL));
  want("send on an empty slot", msg(200, SALTY_ENDPOINT_SEND, 0, 0, 0, 0, NO, 0), ERR(INVALID_CAPABILITY));
  want("commit on an endpoint", msg(ep, SALTY_MO_COMMIT, 0, 1, ut, 0, 0, 0), ERR(ILLEGAL_LABEL));
  want("endpoint into an occupied slot", salty_untyped_retype(ut, SALTY_TYPE_ENDPOINT, ep, 0), ERR(SLOT_OCCUPIED));

  /* Threads: state, types, rights. */
  want("resume before configure", salty_thread_resume(th), ERR(ILLEGAL_OPERATION));
  want("configure with a VSpace for the cspace", salty_thread_configure(th, vs2, vs2), ERR(WRONG_OBJECT_TYPE));
  want("configure with a MemoryObject for the VSpace", salty_thread_configure(th, cs2, mo), ERR(WRONG_OBJECT_TYPE));
  want("configure with an empty slot", salty_thread_configure(th, cs2, 200), ERR(INVALID_CAPABILITY));
  want("configure with a read-only cspace", salty_thread_configure(th, cs_ro, vs2), ERR(INSUFFICIENT_RIGHTS));
  want("configure through a read-only thread", salty_thread_configure(th_ro, cs2, vs2), ERR(INSUFFICIENT_RIGHTS));
  want("registers with an unaligned sp", salty_thread_write_registers(th, 0x400000, 0x1008, 0, 0), ERR(MISALIGNED));
  want("configure on an endpoint", msg(ep, SALTY_THREAD_CONFIGURE, cs2, vs2, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));
  want("thread label 0x5f", msg(th, 0x5f, 0, 0, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));
  {
    const salty_slot th_w = f++;
    salty_i64 status = 99;
    want("setup: mint th_w", salty_cspace_mint(cs, th, th_w, W), SALTY_OK);
    want("join through a write-only thread capability", salty_thread_join(th_w, &status), ERR(INSUFFICIENT_RIGHTS));
    want("join itself", salty_thread_join(bi->thread_slot, &status), ERR(ILLEGAL_OPERATION));
    want("join on an endpoint", msg(ep, SALTY_THREAD_JOIN, 0, 0, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));
    want("join an empty slot", salty_thread_join(200, &status), ERR(INVALID_CAPABILITY));
    want("join left the status alone", (salty_u64)status, 99);
  }
  want("configure", salty_thread_configure(th, cs2, vs2), SALTY_OK);
  want("registers", salty_thread_write_registers(th, 0x400000, 0x1000, 0, 0), SALTY_OK);
  want("suspend a thread never resumed", salty_thread_suspend(th), SALTY_OK);

  /* Mint into another capability space. */
  want("mint-from an empty slot", salty_cspace_mint_from(cs2, 200, 3, R), ERR(INVALID_CAPABILITY));
  want("mint-from into slot 256", salty_cspace_mint_from(cs2, mo, 256, R), ERR(OUT_OF_RANGE));
  want("mint-from with an unknown right", salty_cspace_mint_from(cs2, mo, 3, 64), ERR(INVALID_ARGUMENT));
  want("mint-from with more rights than held", salty_cspace_mint_from(cs2, mo_ro, 3, W), ERR(INSUFFICIENT_RIGHTS));
  want("mint-from through a read-only cspace", salty_cspace_mint_from(cs_ro, mo, 3, R), ERR(INSUFFICIENT_RIGHTS));
  want("mint-from", salty_cspace_mint_from(cs2, mo, 3, R), SALTY_OK);
  want("mint-from into an occupied slot", salty_cspace_mint_from(cs2, mo, 3, R), ERR(SLOT_OCCUPIED));
  want("mint-from on a VSpace", msg(vs, SALTY_CSPACE_MINT_FROM, mo, 3, R, 0, 0, 0), ERR(ILLEGAL_LABEL));

  /* Pagers. */
  want("pager: a VSpace for the endpoint", salty_mo_set_pager(mo, vs2, 1), ERR(WRONG_OBJECT_TYPE));
  want("pager: an empty slot", salty_mo_set_pager(mo, 200, 1), ERR(INVALID_CAPABILITY));
  want("pager: an endpoint without write", salty_mo_set_pager(mo, ep_r, 1), ERR(INSUFFICIENT_RIGHTS));
  want("pager: a read-only MemoryObject", salty_mo_set_pager(mo_ro, ep, 1), ERR(INSUFFICIENT_RIGHTS));
  want("pager on an endpoint", msg(ep, SALTY_MO_SET_PAGER, ep, 1, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));

  /* Notifications and badges. */
  const salty_slot nt = f++, nt_1 = f++, nt_r = f++;
  want("setup: notification", salty_untyped_retype(ut, SALTY_TYPE_NOTIFICATION, nt, 0), SALTY_OK);
  want("setup: mint nt_1 (badge 1, write)", salty_cspace_mint_badged(cs, nt, nt_1, W, 1), SALTY_OK);
  want("setup: mint nt_r (read)", salty_cspace_mint(cs, nt, nt_r, R), SALTY_OK);
  salty_u64 word = 99;
  want("signal without a badge", salty_signal(nt), ERR(ILLEGAL_OPERATION));
  want("signal without write", salty_signal(nt_r), ERR(INSUFFICIENT_RIGHTS));
  want("wait without read", salty_wait(nt_1, &word), ERR(INSUFFICIENT_RIGHTS));
  want("poll without read", salty_poll(nt_1, &word), ERR(INSUFFICIENT_RIGHTS));
  want("signal on an endpoint", salty_signal(ep), ERR(ILLEGAL_LABEL));
  want("wait on a MemoryObject", salty_wait(mo, &word), ERR(ILLEGAL_LABEL));
  want("send on a notification", msg(nt, SALTY_ENDPOINT_SEND, 0, 0, 0, 0, NO, 0), ERR(ILLEGAL_LABEL));
  want("notification label 0x6b", msg(nt, 0x6b, 0, 0, 0, 0, 0, 0), ERR(ILLEGAL_LABEL));
  want("signal on an empty slot", salty_signal(200), ERR(INVALID_CAPABILITY));
  want("badge a badged capability", salty_cspace_mint_badged(cs, nt_1, f, W, 2), ERR(INVALID_ARGUMENT));
  want("badge a MemoryObject", salty_cspace_mint_badged(cs, mo, f, R, 2), ERR(INVALID_ARGUMENT));
  want("badge of 2^60", salty_cspace_mint_badged(cs, nt, f, W, 1UL << 60), ERR(INVALID_ARGUMENT));
  want("badge a thread into another space", salty_cspace_mint_from_badged(cs2, th, 4, R, 2), ERR(INVALID_ARGUMENT));
  want("notification into an occupied slot", salty_untyped_retype(ut, SALTY_TYPE_NOTIFICATION, nt, 0), ERR(SLOT_OCCUPIED));
  want("retype type 7", salty_untyped_retype(ut, 7, f, 0), ERR(INVALID_ARGUMENT));
  want("poll: nothing signalled", salty_poll(nt_r, &word), SALTY_OK);
  want("poll's word", word, 0);
  want("signal", salty_signal(nt_1), SALTY_OK);
  want("wait: signalled already", salty_wait(nt_r, &word), SALTY_OK);
  want("wait's word", word, 1);

  /* An exhausted untyped: endpoints, then threads, until it is full. */
  salty_u64 e = SALTY_OK;
  salty_slot s = f;
  while (e == SALTY_OK && s < 250) e = salty_untyped_retype(ut, SALTY_TYPE_THREAD, s++, 0);
  want("threads until the untyped is full", e, ERR(NOT_ENOUGH_MEMORY));
  e = SALTY_OK;
  while (e == SALTY_OK && s < 255) e = salty_untyped_retype(ut, SALTY_TYPE_ENDPOINT, s++, 0);
  want("endpoints until the untyped is full", e, ERR(NOT_ENOUGH_MEMORY));
  want("one more endpoint", salty_untyped_retype(ut, SALTY_TYPE_ENDPOINT, 255, 0), ERR(NOT_ENOUGH_MEMORY));
  want("one more notification", salty_untyped_retype(ut, SALTY_TYPE_NOTIFICATION, 255, 0), ERR(NOT_ENOUGH_MEMORY));

  /* Forged slots: random numbers as slots get only errors, whatever the label. */
  static const salty_u64 labels[] = {SALTY_ENDPOINT_SEND, SALTY_ENDPOINT_RECEIVE, SALTY_ENDPOINT_CALL, SALTY_ENDPOINT_REPLY, SALTY_ENDPOINT_REPLY_RECEIVE, SALTY_THREAD_CONFIGURE, SALTY_THREAD_WRITE_REGISTERS, SALTY_THREAD_RESUME, SALTY_THREAD_SUSPEND, SALTY_THREAD_JOIN, SALTY_CSPACE_MINT_FROM, SALTY_MO_SET_PAGER, SALTY_NOTIFICATION_SIGNAL, SALTY_NOTIFICATION_WAIT, SALTY_NOTIFICATION_POLL};
  const int nlabels = sizeof labels / sizeof labels[0];
  int forged_ok = 0;
  for (int i = 0; i < 20 * nlabels; i++) {
    salty_u64 slot = next_random() | 0x100; /* never a slot of the space */
    salty_u64 label = labels[i % nlabels];
    if (msg(slot, label, next_random(), next_random(), next_random(), next_random(), next_random(), next_random()) == SALTY_OK) forged_ok++;
  }
  want("forged slots that worked", (salty_u64)forged_ok, 0);
  (void)dbg;
  salty_puts("cases = ");
  salty_put_dec(cases);
  salty_puts("\nmismatches = ");
  salty_put_dec(mismatches);
  salty_puts("\n");
  return 0;
}
