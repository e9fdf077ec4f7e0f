/*
 * mm-server: the memory manager server of the seed, and its client, from one
 * image. The server (the process salty run starts) makes the client a process
 * of its own: a thread, a capability space and a VSpace retyped from its
 * Untyped, the text mapped as it is, a copy-on-write clone of the data and a
 * fresh stack. The client holds no Untyped and no VSpace capability: its
 * mmap, munmap and brk are calls on an endpoint, and the server creates,
 * maps, unmaps and deletes MemoryObjects in the client's VSpace for it.
 *
 * Faults on the client's pages are resolved in the kernel without IPC (demand
 * zero), except on the pager-backed object the client asks for with
 * MM_MAP_PAGED: a fault on a page committed nowhere arrives at the server as
 * a message; the server commits the page, fills it through its own mapping of
 * the same object and replies, and the client's load runs again.
 *
 * A copy-on-write clone of the paged object (MM_CLONE_PAGED) keeps the
 * pager: pages the original had before the clone read the same in the
 * clone without a fault, a page committed nowhere faults to the server with
 * the clone's token, and the server fills the clone's page.
 *
 * Protocol (call, w[0] the request; the reply's w[0] an error, w[1] a value):
 *   MM_MMAP pages -> address       MM_MUNMAP address, pages -> 0
 *   MM_BRK address (0: query) -> the break
 *   MM_MAP_PAGED pages -> address (read-only, filled by the server)
 *   MM_CLONE_PAGED address -> the address of a clone of that paged object
 *   MM_EXIT status -> 0 (the server then reaps the client)
 */
#include <salty-ipc.h>

enum { MM_MMAP = 1, MM_MUNMAP, MM_BRK, MM_MAP_PAGED, MM_EXIT, MM_CLONE_PAGED };
/* The client's capability space. */
enum { CLIENT_THREAD = 3, CLIENT_DEBUG = 4, CLIENT_EP = 10 };

#define HEAP_BASE 0x1000000000UL
#define HEAP_PAGES 64
#define MMAP_BASE 0x2000000000UL
#define SERVER_VIEW 0x3000000000UL
#define MAX_MAPS 16

static struct salty_boot_info client_bi;
static salty_u64 stats_before[SALTY_STAT_WORDS], stats_after[SALTY_STAT_WORDS];

static void must(const char *what, salty_u64 e) {
  if (e == SALTY_OK) return;
  salty_puts(what);
  salty_puts(": ");
  salty_puts(salty_error_name(e));
  salty_puts("\n");
  salty_exit(1);
}

/* a, n (hex from 0x1000 up: an address), b */
static void line(const char *a, salty_u64 n, const char *b) {
  salty_puts(a);
  if (n >= 4096) salty_put_hex(n);
  else salty_put_dec(n);
  salty_puts(b);
}

static void count(const char *a, salty_u64 n, const char *b) {
  salty_puts(a);
  salty_put_dec(n);
  salty_puts(b);
}

/* ---------------- the client ---------------- */

static salty_u64 mm_call(salty_u64 op, salty_u64 a, salty_u64 b, salty_u64 *value) {
  const salty_u64 w[4] = {op, a, b, 0};
  struct salty_msg r;
  must("client: call", salty_call(CLIENT_EP, w, SALTY_NO_SLOT, 0, &r));
  if (value) *value = r.w[1];
  return r.w[0];
}

static void *mmap_pages(salty_u64 pages) {
  salty_u64 va = 0;
  must("client: mmap", mm_call(MM_MMAP, pages, 0, &va));
  return (void *)va;
}

static salty_u64 brk_to(salty_u64 end) {
  salty_u64 now = 0;
  must("client: brk", mm_call(MM_BRK, end, 0, &now));
  return now;
}

/* Prints the text at offset 8 of page; the first load is our own: a fault on a page committed nowhere goes to the server. */
static void read_text(const char *what, salty_u64 va, int page) {
  const volatile char *text = (const char *)(va + page * SALTY_PAGE_SIZE + 8);
  (void)text[0];
  salty_puts(what);
  salty_puts((const char *)text);
  salty_puts("\"\n");
}

__attribute__((noreturn)) static void client_main(void) {
  salty_boot = &client_bi;
  salty_puts("client: running in its own VSpace, with no Untyped of its own\n");
  volatile unsigned char *p = mmap_pages(4);
  salty_u64 sum = 0;
  for (int i = 0; i < 4; i++) p[i * SALTY_PAGE_SIZE] = (unsigned char)(i + 1);
  for (int i = 0; i < 4; i++) sum += p[i * SALTY_PAGE_SIZE];
  line("client: mmap gave ", (salty_u64)p, "");
  line(", the first bytes of its 4 pages sum to ", sum, "\n");
  salty_u64 start = brk_to(0);
  salty_u64 end = brk_to(start + 3 * SALTY_PAGE_SIZE + 100);
  volatile unsigned char *heap = (unsigned char *)start;
  heap[0] = 7;
  heap[end - start - 1] = 9;
  count("client: brk grew the heap to ", end - start, " bytes; ");
  line("first byte ", heap[0], ", ");
  line("last byte ", heap[end - start - 1], "\n");
  end = brk_to(start + SALTY_PAGE_SIZE);
  count("client: brk shrank it to ", end - start, " bytes, ");
  line("first byte still ", heap[0], "\n");
  salty_u64 va = 0, clone_va = 0;
  must("client: map paged", mm_call(MM_MAP_PAGED, 3, 0, &va));
  for (int page = 0; page < 2; page++) read_text("client: read \"", va, page);
  must("client: clone paged", mm_call(MM_CLONE_PAGED, va, 0, &clone_va));
  read_text("client: the clone's page 0 reads \"", clone_va, 0);
  read_text("client: the clone's page 2 reads \"", clone_va, 2);
  must("client: munmap", mm_call(MM_MUNMAP, (salty_u64)p, 4, 0));
  salty_puts("client: done\n");
  mm_call(MM_EXIT, 0, 0, 0);
  salty_exit(0);
}

/* ---------------- the server ---------------- */

struct mapping {
  salty_u64 va, pages, server_va;
  salty_slot mo;
  int live, clone;
};

static struct {
  salty_slot ut, self, ep, cspace, vspace, thread, data, stack, heap;
  salty_slot next_slot;
  salty_u64 next_va, heap_pages, brk, faults, requests;
  struct mapping maps[MAX_MAPS];
} s;

static salty_slot new_slot(void) {
  return s.next_slot++;
}

static salty_slot retype(salty_u64 type, salty_u64 pages) {
  salty_slot slot = new_slot();
  must("server: retype", salty_untyped_retype(s.ut, type, slot, pages));
  return slot;
}

/* The client: text as it is, a clone of the data, a fresh stack, and three capabilities. */
static void start_client(const struct salty_boot_info *bi) {
  s.cspace = retype(SALTY_TYPE_CSPACE, 0);
  s.vspace = retype(SALTY_TYPE_VSPACE, 0);
  s.thread = retype(SALTY_TYPE_THREAD, 0);
  client_bi = *bi;
  client_bi.thread_slot = CLIENT_THREAD;
  client_bi.debug_slot = CLIENT_DEBUG;
  client_bi.untyped_count = 0;
  for (salty_u64 i = 0; i < bi->segment_count; i++) {
    const struct salty_segment_desc *seg = &bi->segments[i];
    salty_slot mo = seg->slot;
    if (seg->perms & SALTY_PERM_W) {
      mo = s.data = new_slot();
      must("server: clone data", salty_mo_clone(seg->slot, s.ut, mo));
    }
    must("server: map segment", salty_vspace_map(s.vspace, mo, seg->va, seg->pages, 0, seg->perms));
  }
  s.stack = retype(SALTY_TYPE_MEMORY_OBJECT, bi->stack_pages);
  must("server: map stack", salty_vspace_map(s.vspace, s.stack, bi->stack_base, bi->stack_pages, 0, SALTY_PERM_R | SALTY_PERM_W));
  s.heap = retype(SALTY_TYPE_MEMORY_OBJECT, HEAP_PAGES);
  s.brk = HEAP_BASE;
  must("server: mint thread", salty_cspace_mint_from(s.cspace, s.thread, CLIENT_THREAD, SALTY_RIGHTS_ALL));
  must("server: mint debug", salty_cspace_mint_from(s.cspace, bi->debug_slot, CLIENT_DEBUG, SALTY_RIGHT_WRITE));
  must("server: mint endpoint", salty_cspace_mint_from(s.cspace, s.ep, CLIENT_EP, SALTY_RIGHT_WRITE));
  must("server: configure", salty_thread_configure(s.thread, s.cspace, s.vspace));
  must("server: registers", salty_thread_write_registers(s.thread, (salty_u64)client_main, bi->stack_base + bi->stack_pages * SALTY_PAGE_SIZE, 0, 0));
  must("server: resume", salty_thread_resume(s.thread));
}

static struct mapping *free_map(void) {
  for (int i = 0; i < MAX_MAPS; i++)
    if (!s.maps[i].live) return &s.maps[i];
  return 0;
}

/* The server's own view of a paged mapping's object: where it fills the pages. */
static void map_view(struct mapping *m) {
  m->server_va = SERVER_VIEW + (salty_u64)(m - s.maps) * 0x100000UL;
  must("server: map its own view", salty_vspace_map(salty_boot->vspace_slot, m->mo, m->server_va, m->pages, 0, SALTY_PERM_R | SALTY_PERM_W));
}

static salty_u64 do_mmap(salty_u64 pages, int paged, salty_u64 *va) {
  struct mapping *m = free_map();
  if (!m || pages == 0 || pages > 256) return SALTY_E_INVALID_ARGUMENT;
  m->mo = new_slot();
  salty_u64 e = salty_untyped_retype(s.ut, SALTY_TYPE_MEMORY_OBJECT, m->mo, pages);
  if (e) return e;
  m->va = s.next_va;
  m->pages = pages;
  s.next_va += (pages + 1) * SALTY_PAGE_SIZE; /* a guard page between mappings */
  if (paged) {
    /* The token is the mapping's index: a fault message names the object by it. */
    must("server: set pager", salty_mo_set_pager(m->mo, s.ep, (salty_u64)(m - s.maps)));
    map_view(m);
  }
  must("server: map for the client", salty_vspace_map(s.vspace, m->mo, m->va, pages, 0, paged ? SALTY_PERM_R : SALTY_PERM_R | SALTY_PERM_W));
  m->live = 1;
  *va = m->va;
  return SALTY_OK;
}

/* A clone of the paged mapping at va, for the client: it keeps the pager, with its own mapping index as token. */
static salty_u64 do_clone_paged(salty_u64 va, salty_u64 *clone_va) {
  struct mapping *from = 0, *m = free_map();
  for (int i = 0; i < MAX_MAPS; i++)
    if (s.maps[i].live && s.maps[i].va == va && s.maps[i].server_va) from = &s.maps[i];
  if (!from || !m) return SALTY_E_INVALID_ARGUMENT;
  m->mo = new_slot();
  salty_u64 e = salty_mo_clone_paged(from->mo, s.ut, m->mo, (salty_u64)(m - s.maps));
  if (e) return e;
  m->va = s.next_va;
  m->pages = from->pages;
  m->clone = 1;
  s.next_va += (m->pages + 1) * SALTY_PAGE_SIZE;
  map_view(m);
  must("server: map the clone for the client", salty_vspace_map(s.vspace, m->mo, m->va, m->pages, 0, SALTY_PERM_R));
  m->live = 1;
  *clone_va = m->va;
  return SALTY_OK;
}

static salty_u64 do_munmap(salty_u64 va, salty_u64 pages) {
  for (int i = 0; i < MAX_MAPS; i++) {
    struct mapping *m = &s.maps[i];
    if (!m->live || m->va != va || m->pages != pages) continue;
    must("server: unmap", salty_vspace_unmap(s.vspace, va, pages));
    /* The last capability goes: the object and every frame it committed return to the Untyped. */
    must("server: delete", salty_cspace_delete(s.self, m->mo));
    m->live = 0;
    return SALTY_OK;
  }
  return SALTY_E_INVALID_ARGUMENT;
}

static salty_u64 do_brk(salty_u64 end, salty_u64 *now) {
  if (end == 0) {
    *now = s.brk;
    return SALTY_OK;
  }
  if (end < HEAP_BASE || end > HEAP_BASE + HEAP_PAGES * SALTY_PAGE_SIZE) return SALTY_E_OUT_OF_RANGE;
  salty_u64 pages = (end - HEAP_BASE + SALTY_PAGE_SIZE - 1) / SALTY_PAGE_SIZE;
  if (pages != s.heap_pages) {
    if (s.heap_pages) must("server: unmap heap", salty_vspace_unmap(s.vspace, HEAP_BASE, s.heap_pages));
    if (pages < s.heap_pages) must("server: decommit heap", salty_mo_decommit(s.heap, pages, s.heap_pages - pages));
    if (pages) must("server: map heap", salty_vspace_map(s.vspace, s.heap, HEAP_BASE, pages, 0, SALTY_PERM_R | SALTY_PERM_W));
    s.heap_pages = pages;
  }
  *now = s.brk = end;
  return SALTY_OK;
}

static void copy_text(char *dst, const char *a, salty_u64 n, const char *b) {
  while (*a) *dst++ = *a++;
  char digits[20];
  int k = 0;
  do {
    digits[k++] = '0' + n % 10;
    n /= 10;
  } while (n);
  while (k) *dst++ = digits[--k];
  while (*b) *dst++ = *b++;
  *dst = 0;
}

/* A fault on a page of a paged object: commit it, fill it through our own view, and let the reply retry the load. */
static void fill(const struct salty_msg *m) {
  struct mapping *map = &s.maps[m->w[0]];
  salty_u64 page = m->w[1];
  s.faults++;
  line("mm-server: pager fault on page ", page, map->clone ? " of the clone" : "");
  line(" at ", m->w[2], m->w[3] == 2 ? " (write)\n" : " (read)\n");
  must("server: commit", salty_mo_commit(map->mo, page, 1, s.ut));
  char *text = (char *)(map->server_va + page * SALTY_PAGE_SIZE + 8);
  copy_text(text, "page ", page, map->clone ? " of the clone, filled by the mm-server" : " of the paged object, filled by the mm-server");
}

static void serve(void) {
  struct salty_msg m;
  must("server: receive", salty_receive(s.ep, SALTY_NO_SLOT, &m));
  for (;;) {
    salty_u64 reply[4] = {SALTY_OK, 0, 0, 0};
    if (m.kind == SALTY_MSG_FAULT) {
      fill(&m);
    } else {
      s.requests++;
      switch (m.w[0]) {
      case MM_MMAP:
        reply[0] = do_mmap(m.w[1], 0, &reply[1]);
        line("mm-server: mmap ", m.w[1], " pages -> ");
        line("", reply[1], "\n");
        break;
      case MM_MAP_PAGED:
        reply[0] = do_mmap(m.w[1], 1, &reply[1]);
        line("mm-server: paged object of ", m.w[1], " pages -> ");
        line("", reply[1], "\n");
        break;
      case MM_CLONE_PAGED:
        reply[0] = do_clone_paged(m.w[1], &reply[1]);
        line("mm-server: clone of the paged object at ", m.w[1], " -> ");
        line("", reply[1], "\n");
        break;
      case MM_MUNMAP:
        reply[0] = do_munmap(m.w[1], m.w[2]);
        line("mm-server: munmap ", m.w[1], "");
        line(", ", m.w[2], " pages\n");
        break;
      case MM_BRK:
        reply[0] = do_brk(m.w[1], &reply[1]);
        line("mm-server: brk -> ", reply[1], "\n");
        break;
      case MM_EXIT:
        must("server: reply", salty_reply(s.ep, reply));
        return;
      default:
        reply[0] = SALTY_E_ILLEGAL_LABEL;
      }
    }
    must("server: reply-receive", salty_reply_receive(s.ep, reply, SALTY_NO_SLOT, &m));
  }
}

static void reap(void) {
  const salty_slot objs[] = {s.thread, s.cspace, s.vspace, s.data, s.stack, s.heap};
  for (int i = 0; i < 6; i++) must("server: delete", salty_cspace_delete(s.self, objs[i]));
  for (int i = 0; i < MAX_MAPS; i++)
    if (s.maps[i].live) must("server: delete mapping", salty_cspace_delete(s.self, s.maps[i].mo));
  must("server: delete endpoint", salty_cspace_delete(s.self, s.ep));
}

static void delta(const char *name, int word) {
  count(name, stats_after[word] - stats_before[word], "\n");
}

int salty_main(const struct salty_boot_info *bi) {
  salty_u64 free_before = 0, free_after = 0;
  s.ut = bi->untypeds[0].slot;
  s.self = bi->cspace_slot;
  s.next_slot = bi->first_free_slot;
  s.next_va = MMAP_BASE;
  salty_untyped_free_bytes(s.ut, &free_before);
  salty_debug_stats(bi->debug_slot, stats_before, SALTY_STAT_WORDS);
  s.ep = retype(SALTY_TYPE_ENDPOINT, 0);
  start_client(bi);
  salty_puts("mm-server: client started, serving\n");
  serve();
  salty_debug_stats(bi->debug_slot, stats_after, SALTY_STAT_WORDS);
  count("mm-server: the client is done after ", s.requests, " requests");
  count(" and ", s.faults, " pager faults\n");
  delta("demand faults resolved in the kernel: ", SALTY_STAT_DEMAND_FAULTS);
  delta("copy-on-write faults resolved in the kernel: ", SALTY_STAT_COW_FAULTS);
  reap();
  salty_untyped_free_bytes(s.ut, &free_after);
  salty_puts(free_after == free_before ? "mm-server: the client is gone, the Untyped is whole again\n" : "mm-server: the Untyped lost bytes!\n");
  return 0;
}
