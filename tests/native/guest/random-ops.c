/*
 * random-ops: a seeded random sequence of invocations over a small pool of
 * slots, addresses and sizes, valid and invalid mixed. It never touches the
 * memory it maps and never invokes its own thread, console, stack or
 * segments, never resumes a thread it made and never sends or receives in a
 * way that could wait (its transfer slots are empty, its receive slots full),
 * so every call's outcome follows from the objects alone: the
 * property test (tests/native/property.test.ts) patches the seed in and
 * checks each call against a TypeScript model of the objects.
 */
#include <salty-ipc.h>

#define BASE 0x3000000000UL
#define POOL 20

/* The test finds the marker and writes the seed and step count after it. */
volatile salty_u64 params[4] = {0x5eedc0de5eedc0deUL, 0x5eedc0de5eedc0deUL, 1, 200};

static salty_u64 rng;
static salty_u64 next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
static salty_u64 below(salty_u64 n) { return next() % n; }

static salty_slot ut, vs, cs, first;

/* A slot: mostly the pool, sometimes the untyped, the VSpace, the cspace, an empty or outside slot. */
static salty_slot any_slot(void) {
  switch (below(16)) {
  case 0: return ut;
  case 1: return vs;
  case 2: return cs;
  case 3: return 255;
  case 4: return 256 + below(4);
  default: return first + below(POOL);
  }
}

static salty_u64 small(salty_u64 n) { return below(8) == 0 ? ~0UL - below(2) : below(n); }

/* Slots where a MemoryObject was made lately (they may have gone since). */
static salty_slot mos[8];
static int mo_count;
static salty_slot an_mo(void) { return mo_count > 0 && below(4) ? mos[below(mo_count)] : any_slot(); }
static void made_mo(salty_slot s) {
  if (mo_count < 8) mos[mo_count++] = s;
  else mos[below(8)] = s;
}
/* Slots where an endpoint, a thread, a capability space, a notification or a badged copy was made lately. */
static salty_slot made[5][4];
static int made_count[5];
static void remember(int kind, salty_slot s) {
  if (made_count[kind] < 4) made[kind][made_count[kind]++] = s;
  else made[kind][below(4)] = s;
}
static salty_slot a_made(int kind) { return made_count[kind] > 0 && below(4) ? made[kind][below(made_count[kind])] : any_slot(); }
enum { EP, TH, CS, NT, BADGED };
/* A transfer slot that holds nothing (so a send never waits), a receive slot that is full or outside (so a receive never waits). */
static salty_slot no_cap(void) { return below(2) ? 255 : 256 + below(4); }
static salty_slot full_slot(void) { return below(2) ? ut : 256 + below(4); }
/* A count: now and then 0 or a huge number, else 1..n. */
static salty_u64 count(salty_u64 n) { return below(10) == 0 ? (below(2) ? 0 : ~0UL) : 1 + below(n); }

/* A badge: mostly one bit, sometimes above 32 bits, 0 or out of range. */
static salty_u64 a_badge(void) {
  switch (below(8)) {
  case 0: return 0;
  case 1: return 1UL << (32 + below(20));
  case 2: return 1UL << 60;
  default: return 1UL << below(8);
  }
}

/* Badged mints of endpoints and notifications, signals and polls; a wait only right after a signal through the same slot succeeded (the word is then not zero, so it never blocks). */
static void notify_step(salty_slot dest) {
  salty_u64 r = below(5);
  if (r == 0) {
    /* The pool is mostly full: make room first. */
    salty_invoke(cs, SALTY_CSPACE_DELETE, dest, 0, 0, 0, 0, 0);
    if (salty_invoke(ut, SALTY_UNTYPED_RETYPE, SALTY_TYPE_NOTIFICATION, dest, 0, 0, 0, 0).error == SALTY_OK) remember(NT, dest);
  } else if (r == 1) {
    salty_slot src = below(4) ? a_made(NT) : below(2) ? a_made(EP) : a_made(BADGED);
    if (below(2)) salty_invoke(cs, SALTY_CSPACE_DELETE, dest, 0, 0, 0, 0, 0);
    if (salty_invoke(cs, SALTY_CSPACE_MINT, src, dest, below(4) ? (SALTY_RIGHT_READ | SALTY_RIGHT_WRITE) : below(32), a_badge(), 0, 0).error == SALTY_OK) remember(BADGED, dest);
  } else if (r < 4) {
    /* Two signals (often through differently badged copies of one notification) before a wait or poll: the word ORs them. */
    salty_slot n = below(4) ? a_made(BADGED) : a_made(NT);
    if (salty_invoke(n, SALTY_NOTIFICATION_SIGNAL, 0, 0, 0, 0, 0, 0).error != SALTY_OK) return;
    salty_invoke(a_made(BADGED), SALTY_NOTIFICATION_SIGNAL, 0, 0, 0, 0, 0, 0);
    salty_invoke(n, below(2) ? SALTY_NOTIFICATION_WAIT : SALTY_NOTIFICATION_POLL, 0, 0, 0, 0, 0, 0);
  } else {
    salty_invoke(below(2) ? a_made(NT) : a_made(BADGED), SALTY_NOTIFICATION_POLL, 0, 0, 0, 0, 0, 0);
  }
}

/* The IPC half's labels, never in a form that waits or starts a thread. */
static void ipc_step(salty_u64 r, salty_slot dest) {
  if (r == 0) {
    salty_invoke(a_made(EP), below(2) ? SALTY_ENDPOINT_SEND : SALTY_ENDPOINT_CALL, next(), 0, 0, 0, no_cap(), below(40));
  } else if (r == 1) {
    salty_invoke(a_made(EP), SALTY_ENDPOINT_RECEIVE, full_slot(), 0, 0, 0, 0, 0);
  } else if (r == 2) {
    salty_invoke(a_made(EP), below(2) ? SALTY_ENDPOINT_REPLY : SALTY_ENDPOINT_REPLY_RECEIVE, 1, 2, 3, 4, full_slot(), 0);
  } else if (r == 3) {
    salty_u64 label = below(3);
    if (label == 0) salty_invoke(a_made(TH), SALTY_THREAD_CONFIGURE, below(2) ? a_made(CS) : cs, below(2) ? vs : any_slot(), 0, 0, 0, 0);
    else if (label == 1) salty_invoke(a_made(TH), SALTY_THREAD_WRITE_REGISTERS, BASE + below(4) * 4, BASE + below(4) * 8, 0, 0, 0, 0);
    else salty_invoke(a_made(TH), SALTY_THREAD_SUSPEND, 0, 0, 0, 0, 0, 0);
  } else if (r < 6) {
    salty_invoke(below(3) ? a_made(CS) : cs, SALTY_CSPACE_MINT_FROM, below(4) ? an_mo() : any_slot(), below(2) ? dest : below(8), below(5) == 0 ? 32 + below(8) : below(32), below(3) ? 0 : a_badge(), 0, 0);
  } else if (r < 12) {
    notify_step(dest);
  } else {
    salty_invoke(an_mo(), SALTY_MO_SET_PAGER, below(4) ? a_made(EP) : SALTY_NO_SLOT, below(8) ? below(100) : ~0UL, 0, 0, 0, 0);
  }
}

static void step(void) {
  salty_slot target = any_slot();
  salty_slot dest = first + below(POOL + 1);
  salty_u64 r = below(36);
  if (r < 3) {
    static const salty_u64 types[11] = {1, 1, 1, 1, SALTY_TYPE_VSPACE, SALTY_TYPE_CSPACE, SALTY_TYPE_ENDPOINT, SALTY_TYPE_THREAD, SALTY_TYPE_NOTIFICATION, 0, 9};
    salty_u64 type = types[below(11)];
    if (salty_invoke(below(6) ? ut : target, SALTY_UNTYPED_RETYPE, type, dest, below(10) == 0 ? 0 : 4 + below(8), 0, 0, 0).error == SALTY_OK) {
      if (type == SALTY_TYPE_MEMORY_OBJECT) made_mo(dest);
      else if (type == SALTY_TYPE_ENDPOINT) remember(EP, dest);
      else if (type == SALTY_TYPE_THREAD) remember(TH, dest);
      else if (type == SALTY_TYPE_CSPACE) remember(CS, dest);
      else if (type == SALTY_TYPE_NOTIFICATION) remember(NT, dest);
    }
  } else if (r >= 23) {
    ipc_step(r - 23, dest);
  } else if (r < 6) {
    salty_invoke(an_mo(), SALTY_MO_COMMIT, small(4), count(3), below(6) ? ut : any_slot(), 0, 0, 0);
  } else if (r < 7) {
    salty_invoke(an_mo(), SALTY_MO_DECOMMIT, small(4), count(3), 0, 0, 0, 0);
  } else if (r < 9) {
    if (salty_invoke(an_mo(), SALTY_MO_CLONE, below(6) ? ut : any_slot(), dest, 0, 0, 0, 0).error == SALTY_OK) made_mo(dest);
  } else if (r < 12) {
    salty_invoke(below(4) ? vs : target, SALTY_VSPACE_MAP, an_mo(), BASE + below(32) * 4096 + (below(16) == 0 ? 8 : 0), count(4), small(3), below(9), 0);
  } else if (r < 13) {
    salty_invoke(below(4) ? vs : target, SALTY_VSPACE_UNMAP, BASE + below(32) * 4096, count(5), 0, 0, 0, 0);
  } else if (r < 14) {
    salty_invoke(below(4) ? vs : target, SALTY_VSPACE_PROTECT, BASE + below(32) * 4096, count(5), below(9), 0, 0, 0);
  } else if (r < 15 + 1 + 1) {
    if (salty_invoke(cs, SALTY_CSPACE_COPY + below(2), below(6) ? an_mo() : ut, dest, below(5) == 0 ? 32 + below(8) : SALTY_RIGHT_MAP | below(8), 0, 0, 0).error == SALTY_OK) made_mo(dest);
  } else if (r < 19) {
    /* Commit and map again more often than objects go away. */
    salty_invoke(vs, SALTY_VSPACE_MAP, an_mo(), BASE + below(32) * 4096, count(3), small(3), SALTY_PERM_R | SALTY_PERM_W, 0);
  } else if (r < 20) {
    salty_invoke(below(6) ? cs : target, SALTY_CSPACE_DELETE, first + below(POOL), 0, 0, 0, 0, 0);
  } else if (r < 21) {
    salty_invoke(below(6) ? cs : target, SALTY_CSPACE_REVOKE, below(12) ? first + below(POOL) : ut, 0, 0, 0, 0, 0);
  } else {
    /* A capability with fewer rights, mapped, then protected: the region keeps the rights it was mapped with. */
    salty_u64 va = BASE + below(32) * 4096;
    salty_invoke(cs, SALTY_CSPACE_MINT, an_mo(), dest, SALTY_RIGHT_MAP | below(8), 0, 0, 0);
    salty_invoke(vs, SALTY_VSPACE_MAP, dest, va, 1 + below(2), 0, below(2) ? SALTY_PERM_R : 0, 0);
    salty_invoke(vs, SALTY_VSPACE_PROTECT, va, 1 + below(2), below(8), 0, 0, 0);
  }
}

int salty_main(const struct salty_boot_info *bi) {
  ut = bi->untypeds[0].slot;
  vs = bi->vspace_slot;
  cs = bi->cspace_slot;
  first = bi->first_free_slot;
  rng = params[2] * 0x9e3779b97f4a7c15UL + 1;
  for (salty_u64 i = 0; i < params[3]; i++) step();
  salty_puts("done\n");
  return 0;
}
