/*
 * fork: fork and copy-on-write built by the program itself, out of a thread,
 * a capability space and a VSpace retyped from its Untyped, and copy-on-write
 * clones of its own MemoryObjects. The child's VSpace maps the text
 * MemoryObject as it is (read and execute: nothing to copy), and clones of
 * the writable segment and of the stack at the same addresses; the first
 * write on either side copies one page (the kernel's copy-on-write fault, no
 * IPC). The child starts in child_main on the stack below the parent's frames,
 * sends its result on an endpoint and exits; the parent waits for it, then
 * deletes everything the child had and the Untyped is whole again.
 */
#include <salty-ipc.h>

/*
 * The child's capability space: its thread, the console and the endpoint. It
 * holds no capability to itself: a capability space that does lives until its
 * Untyped is revoked (deleting the parent's capability leaves its own).
 */
enum { CHILD_CSPACE = 0, CHILD_THREAD = 3, CHILD_DEBUG = 4, CHILD_EP = 10 };

static volatile salty_u64 counter = 100;
/* The child's view of its slots: written before the clones, so the child's copy of the data holds it. */
static struct salty_boot_info child_bi;
static salty_u64 stats[SALTY_STAT_WORDS];

static void must(const char *what, salty_u64 e) {
  if (e == SALTY_OK) return;
  salty_puts(what);
  salty_puts(": ");
  salty_puts(salty_error_name(e));
  salty_puts("\n");
  salty_exit(1);
}

static void say(const char *who, const char *what, salty_u64 n) {
  salty_puts(who);
  salty_puts(what);
  salty_put_dec(n);
  salty_puts("\n");
}

__attribute__((noreturn)) static void child_main(salty_u64 arg) {
  salty_boot = &child_bi;
  say("child: counter = ", "", counter);
  counter = 200 + arg;
  say("child: wrote counter = ", "", counter);
  const salty_u64 w[4] = {counter, arg, 0, 0};
  must("child: send", salty_send(CHILD_EP, w, SALTY_NO_SLOT, 0));
  salty_exit(0);
}

struct child {
  salty_slot cspace, vspace, thread, ep, clones[18];
  int nclones;
};

static salty_slot next_slot;

static salty_slot retype(salty_u64 type) {
  salty_slot s = next_slot++;
  must("retype", salty_untyped_retype(salty_boot->untypeds[0].slot, type, s, 0));
  return s;
}

/* Map mo (or a copy-on-write clone of it when writable) at va in the child's VSpace. */
static void share(struct child *c, salty_slot mo, salty_u64 va, salty_u64 pages, salty_u64 perms) {
  if (perms & SALTY_PERM_W) {
    salty_slot clone = next_slot++;
    must("clone", salty_mo_clone(mo, salty_boot->untypeds[0].slot, clone));
    c->clones[c->nclones++] = clone;
    mo = clone;
  }
  must("map", salty_vspace_map(c->vspace, mo, va, pages, 0, perms));
}

static void fork_child(struct child *c, salty_u64 arg) {
  const struct salty_boot_info *bi = salty_boot;
  c->cspace = retype(SALTY_TYPE_CSPACE);
  c->vspace = retype(SALTY_TYPE_VSPACE);
  c->thread = retype(SALTY_TYPE_THREAD);
  c->ep = retype(SALTY_TYPE_ENDPOINT);
  child_bi = *bi;
  child_bi.cspace_slot = CHILD_CSPACE;
  child_bi.thread_slot = CHILD_THREAD;
  child_bi.debug_slot = CHILD_DEBUG;
  child_bi.untyped_count = 0;
  for (salty_u64 i = 0; i < bi->segment_count; i++) share(c, bi->segments[i].slot, bi->segments[i].va, bi->segments[i].pages, bi->segments[i].perms);
  share(c, bi->stack_slot, bi->stack_base, bi->stack_pages, SALTY_PERM_R | SALTY_PERM_W);
  must("mint thread", salty_cspace_mint_from(c->cspace, c->thread, CHILD_THREAD, SALTY_RIGHTS_ALL));
  must("mint debug", salty_cspace_mint_from(c->cspace, bi->debug_slot, CHILD_DEBUG, SALTY_RIGHT_WRITE));
  must("mint endpoint", salty_cspace_mint_from(c->cspace, c->ep, CHILD_EP, SALTY_RIGHT_WRITE));
  must("configure", salty_thread_configure(c->thread, c->cspace, c->vspace));
  /* The child runs below this frame: its copy of everything above stays as it was at the fork. */
  salty_u64 sp = (salty_stack_pointer() & ~15UL) - 1024;
  must("registers", salty_thread_write_registers(c->thread, (salty_u64)child_main, sp, arg, 0));
  must("resume", salty_thread_resume(c->thread));
}

static void reap(struct child *c) {
  salty_slot self = salty_boot->cspace_slot;
  const salty_slot objs[] = {c->thread, c->cspace, c->vspace, c->ep};
  for (int i = 0; i < 4; i++) must("delete", salty_cspace_delete(self, objs[i]));
  for (int i = 0; i < c->nclones; i++) must("delete clone", salty_cspace_delete(self, c->clones[i]));
}

int salty_main(const struct salty_boot_info *bi) {
  salty_slot ut = bi->untypeds[0].slot;
  salty_u64 free_before = 0, free_after = 0;
  next_slot = bi->first_free_slot;
  salty_untyped_free_bytes(ut, &free_before);
  say("parent: counter = ", "", counter);
  struct child c = {0};
  fork_child(&c, 1);
  say("parent: forked; copy-on-write clones: ", "", c.nclones);
  counter = 150;
  say("parent: wrote counter = ", "", counter);
  struct salty_msg m;
  must("parent: receive", salty_receive(c.ep, SALTY_NO_SLOT, &m));
  say("parent: the child sent ", "", m.w[0]);
  say("parent: counter is still ", "", counter);
  salty_debug_stats(bi->debug_slot, stats, SALTY_STAT_WORDS);
  say("copy-on-write faults: ", "", stats[SALTY_STAT_COW_FAULTS]);
  say("copy-on-write copies: ", "", stats[SALTY_STAT_COW_COPIES]);
  reap(&c);
  salty_untyped_free_bytes(ut, &free_after);
  salty_puts(free_after == free_before ? "parent: the child's objects are gone, the Untyped is whole again\n" : "parent: the Untyped lost bytes!\n");
  return 0;
}
