/*
 * salty-ipc.h: endpoints, threads, pager-backed MemoryObjects and minting into
 * another capability space (docs/porting.md, kernel/native/endpoint*.ts).
 *
 * Message registers (n0..n7: salty.h): n2..n5 carry four words both ways. A
 * send or call may carry one capability: n6 names its slot (SALTY_NO_SLOT: none) and n7 the
 * rights the receiver's copy gets (a subset of the sender's; the endpoint
 * capability needs SALTY_RIGHT_GRANT). A receive names the empty slot a
 * capability may land in (SALTY_NO_SLOT: accept none). On receipt n1 is the
 * message kind (SALTY_MSG_*), n2..n5 the words, n6 the slot the capability
 * went to, or SALTY_NO_SLOT, and n7 the badge of the endpoint capability the
 * sender used (salty_cspace_mint_badged): a server tells its clients apart by
 * the badge of the capability each was given.
 *
 * Notifications (seL4's): a word of bits. salty_signal ORs the badge of the
 * (badged) capability into it, or hands the badge to the first waiting thread;
 * salty_wait blocks while the word is zero, then returns it and clears it;
 * salty_poll never blocks. Signalling needs SALTY_RIGHT_WRITE and a badge,
 * waiting and polling SALTY_RIGHT_READ.
 *
 * Rights: send and call need SALTY_RIGHT_WRITE on the endpoint capability,
 * receive needs SALTY_RIGHT_READ. A call leaves the caller in the receiver's
 * reply slot (one per thread, as seL4's); reply answers it and needs no
 * capability of its own (any endpoint capability names the operation).
 *
 * A fault on a page of a pager-backed MemoryObject that is committed nowhere
 * arrives as a SALTY_MSG_FAULT message: w[0] the token given to
 * salty_mo_set_pager, w[1] the object page, w[2] the faulting address, w[3]
 * the access (1 read, 2 write, 4 execute). The pager commits and fills the
 * page, then replies; the faulting thread runs its instruction again.
 */
#ifndef SALTY_IPC_H
#define SALTY_IPC_H

#include <salty.h>

enum {
  SALTY_E_CANCELLED = 12,
  SALTY_E_NO_REPLY_TARGET = 13,
  SALTY_E_ILLEGAL_OPERATION = 14,
};

enum {
  SALTY_MO_SET_PAGER = 0x23,
  SALTY_CSPACE_MINT_FROM = 0x44,
  SALTY_THREAD_CONFIGURE = 0x51,
  SALTY_THREAD_WRITE_REGISTERS = 0x52,
  SALTY_THREAD_RESUME = 0x53,
  SALTY_THREAD_SUSPEND = 0x54,
  SALTY_THREAD_JOIN = 0x55,
  SALTY_ENDPOINT_SEND = 0x60,
  SALTY_ENDPOINT_RECEIVE = 0x61,
  SALTY_ENDPOINT_CALL = 0x62,
  SALTY_ENDPOINT_REPLY = 0x63,
  SALTY_ENDPOINT_REPLY_RECEIVE = 0x64,
  SALTY_NOTIFICATION_SIGNAL = 0x68,
  SALTY_NOTIFICATION_WAIT = 0x69,
  SALTY_NOTIFICATION_POLL = 0x6a,
};

enum { SALTY_TYPE_ENDPOINT = 4, SALTY_TYPE_THREAD = 5, SALTY_TYPE_NOTIFICATION = 6 };
enum { SALTY_MSG_REPLY = 0, SALTY_MSG_SEND = 1, SALTY_MSG_CALL = 2, SALTY_MSG_FAULT = 3 };
#define SALTY_NO_SLOT 0xffffUL
#define SALTY_MSG_WORDS 4

struct salty_msg {
  salty_u64 kind;     /* SALTY_MSG_* (on receipt) */
  salty_u64 w[SALTY_MSG_WORDS];
  salty_u64 cap_slot; /* where a received capability went, or SALTY_NO_SLOT */
  salty_u64 badge;    /* the badge of the endpoint capability the sender used (0: none; a reply: 0) */
};

/* The trap with every argument register in and n0..n7 out. */
static inline salty_u64 salty_invoke_msg(salty_slot slot, salty_u64 label, const salty_u64 in[6], struct salty_msg *out) {
#if defined(__aarch64__)
  register salty_u64 n0 __asm__("x0") = slot;
  register salty_u64 n1 __asm__("x1") = label;
  register salty_u64 n2 __asm__("x2") = in[0];
  register salty_u64 n3 __asm__("x3") = in[1];
  register salty_u64 n4 __asm__("x4") = in[2];
  register salty_u64 n5 __asm__("x5") = in[3];
  register salty_u64 n6 __asm__("x6") = in[4];
  register salty_u64 n7 __asm__("x7") = in[5];
  __asm__ volatile("svc #0x5a17" : "+r"(n0), "+r"(n1), "+r"(n2), "+r"(n3), "+r"(n4), "+r"(n5), "+r"(n6), "+r"(n7) : : "memory");
#else
  register salty_u64 n0 __asm__("rdi") = slot;
  register salty_u64 n1 __asm__("rsi") = label;
  register salty_u64 n2 __asm__("rdx") = in[0];
  register salty_u64 n3 __asm__("r10") = in[1];
  register salty_u64 n4 __asm__("r8") = in[2];
  register salty_u64 n5 __asm__("r9") = in[3];
  register salty_u64 n6 __asm__("r12") = in[4];
  register salty_u64 n7 __asm__("r13") = in[5];
  salty_u64 rax = SALTY_TRAP_RAX;
  __asm__ volatile("syscall" : "+r"(n0), "+r"(n1), "+r"(n2), "+r"(n3), "+r"(n4), "+r"(n5), "+r"(n6), "+r"(n7), "+a"(rax) : : "rcx", "r11", "memory");
#endif
  if (out && n0 == SALTY_OK) {
    out->kind = n1;
    out->w[0] = n2;
    out->w[1] = n3;
    out->w[2] = n4;
    out->w[3] = n5;
    out->cap_slot = n6;
    out->badge = n7;
  }
  return n0;
}

/* ---- endpoints ---- */
/* Sends w (four words) and, unless cap is SALTY_NO_SLOT, a copy of cap with rights; waits for a receiver. */
static inline salty_u64 salty_send(salty_slot ep, const salty_u64 w[4], salty_slot cap, salty_u64 rights) {
  const salty_u64 in[6] = {w[0], w[1], w[2], w[3], cap, rights};
  return salty_invoke_msg(ep, SALTY_ENDPOINT_SEND, in, 0);
}
/* Sends as salty_send, then waits for the receiver's reply (its words land in reply->w). */
static inline salty_u64 salty_call(salty_slot ep, const salty_u64 w[4], salty_slot cap, salty_u64 rights, struct salty_msg *reply) {
  const salty_u64 in[6] = {w[0], w[1], w[2], w[3], cap, rights};
  return salty_invoke_msg(ep, SALTY_ENDPOINT_CALL, in, reply);
}
/* Waits for a message; a capability it carries lands in recv_slot (SALTY_NO_SLOT: accept none). */
static inline salty_u64 salty_receive(salty_slot ep, salty_slot recv_slot, struct salty_msg *msg) {
  const salty_u64 in[6] = {recv_slot, 0, 0, 0, 0, 0};
  return salty_invoke_msg(ep, SALTY_ENDPOINT_RECEIVE, in, msg);
}
/* Answers the caller in this thread's reply slot (any endpoint capability will do for ep). */
static inline salty_u64 salty_reply(salty_slot ep, const salty_u64 w[4]) {
  const salty_u64 in[6] = {w[0], w[1], w[2], w[3], 0, 0};
  return salty_invoke_msg(ep, SALTY_ENDPOINT_REPLY, in, 0);
}
/* Replies, then receives on ep: a server's loop. */
static inline salty_u64 salty_reply_receive(salty_slot ep, const salty_u64 w[4], salty_slot recv_slot, struct salty_msg *msg) {
  const salty_u64 in[6] = {w[0], w[1], w[2], w[3], recv_slot, 0};
  return salty_invoke_msg(ep, SALTY_ENDPOINT_REPLY_RECEIVE, in, msg);
}

/* ---- notifications ---- */
static inline salty_u64 salty_signal(salty_slot ntfn) {
  return salty_invoke(ntfn, SALTY_NOTIFICATION_SIGNAL, 0, 0, 0, 0, 0, 0).error;
}
/* Blocks while nothing was signalled; *word gets the signalled bits (the badges ORed). */
static inline salty_u64 salty_wait(salty_slot ntfn, salty_u64 *word) {
  return salty_value(salty_invoke(ntfn, SALTY_NOTIFICATION_WAIT, 0, 0, 0, 0, 0, 0), word);
}
/* As salty_wait without blocking: *word is 0 when nothing was signalled. */
static inline salty_u64 salty_poll(salty_slot ntfn, salty_u64 *word) {
  return salty_value(salty_invoke(ntfn, SALTY_NOTIFICATION_POLL, 0, 0, 0, 0, 0, 0), word);
}

/* ---- threads ---- */
static inline salty_u64 salty_thread_configure(salty_slot thread, salty_slot cspace, salty_slot vspace) {
  return salty_invoke(thread, SALTY_THREAD_CONFIGURE, cspace, vspace, 0, 0, 0, 0).error;
}
/*
 * Sets a thread that is not running to start at pc as a function called with
 * (a0, a1) on a stack whose top is sp (16-byte aligned); every other register
 * becomes 0 (x86_64: rsp = sp - 8, where a call's return address would be).
 */
static inline salty_u64 salty_thread_write_registers(salty_slot thread, salty_u64 pc, salty_u64 sp, salty_u64 a0, salty_u64 a1) {
  return salty_invoke(thread, SALTY_THREAD_WRITE_REGISTERS, pc, sp, a0, a1, 0, 0).error;
}
static inline salty_u64 salty_thread_resume(salty_slot thread) {
  return salty_invoke(thread, SALTY_THREAD_RESUME, 0, 0, 0, 0, 0, 0).error;
}
static inline salty_u64 salty_thread_suspend(salty_slot thread) {
  return salty_invoke(thread, SALTY_THREAD_SUSPEND, 0, 0, 0, 0, 0, 0).error;
}
/*
 * Waits until the thread has ended; *status gets the status it passed to
 * salty_thread_exit. SALTY_E_CANCELLED when it ended without one (its thread
 * object deleted, its capability space or VSpace gone). Needs SALTY_RIGHT_READ.
 */
static inline salty_u64 salty_thread_join(salty_slot thread, salty_i64 *status) {
  struct salty_result r = salty_invoke(thread, SALTY_THREAD_JOIN, 0, 0, 0, 0, 0, 0);
  if (status && r.error == SALTY_OK) *status = (salty_i64)r.value;
  return r.error;
}

/* ---- capability spaces and MemoryObjects ---- */
/* Mints src of the caller's own space into dest of the space cspace names, with rights. */
static inline salty_u64 salty_cspace_mint_from(salty_slot cspace, salty_slot src, salty_slot dest, salty_u64 rights) {
  return salty_invoke(cspace, SALTY_CSPACE_MINT_FROM, src, dest, rights, 0, 0, 0).error;
}
/* As salty_cspace_mint_from, the copy badged (an unbadged endpoint or notification capability). */
static inline salty_u64 salty_cspace_mint_from_badged(salty_slot cspace, salty_slot src, salty_slot dest, salty_u64 rights, salty_u64 badge) {
  return salty_invoke(cspace, SALTY_CSPACE_MINT_FROM, src, dest, rights, badge, 0, 0).error;
}
/* A copy of src in dest of cspace with rights and badge (not 0): src must be an unbadged endpoint or notification capability. */
static inline salty_u64 salty_cspace_mint_badged(salty_slot cspace, salty_slot src, salty_slot dest, salty_u64 rights, salty_u64 badge) {
  return salty_invoke(cspace, SALTY_CSPACE_MINT, src, dest, rights, badge, 0, 0).error;
}
/*
 * A copy-on-write clone of a pager-backed mo: it keeps the pager, its fault
 * messages carrying token (the pager commits their pages into the clone).
 */
static inline salty_u64 salty_mo_clone_paged(salty_slot mo, salty_slot untyped, salty_slot dest, salty_u64 token) {
  return salty_invoke(mo, SALTY_MO_CLONE, untyped, dest, token, 0, 0, 0).error;
}
/* Faults on pages of mo committed nowhere go to ep with token (ep SALTY_NO_SLOT: back to demand-zero). */
static inline salty_u64 salty_mo_set_pager(salty_slot mo, salty_slot ep, salty_u64 token) {
  return salty_invoke(mo, SALTY_MO_SET_PAGER, ep, token, 0, 0, 0, 0).error;
}

#endif
