// Garbage collection of AF_UNIX sockets in flight, as Linux's unix_gc. A
// socket passed with SCM_RIGHTS is held by the message that carries it; when
// a socket's every reference is such a message, and every message holding
// it sits in the queue of another such socket, nothing can ever receive it:
// a socket that sent itself into its own queue and was closed, or a ring of
// them. Reference counts alone never free these, so each would hold its
// charge (and the host its heap) for good. The collector drops the queues
// of those sockets, which frees them.
//
// A candidate is a socket whose references are all in flight. The collector
// counts, for each candidate, the references held by candidates' queues;
// one held from anywhere else is alive, and so is everything its queue
// holds; the candidates left are garbage. It runs when a release makes a
// new candidate, amortized: after a run that left N live candidates, the
// next waits for N / 64 such releases, so a guest keeping many sockets in
// flight cannot make each close walk them all; the meter's refusal and the
// run audit collect at once.

/** What the collector needs of a socket. */
export interface GcSocket {
  /** References held by messages in queues (in flight). */
  inflight: number;
  readonly refCount: number;
  /** The sockets in flight in this socket's queues (its receive queue and its waiting connections'). */
  inflightSockets(): Iterable<GcSocket>;
  /** Drops what its queues hold (releasing the files in flight). */
  dropQueued(): void;
}

const candidates = new Set<GcSocket>();
let collecting = false;
let triggers = 0;
let threshold = 1;
/** Sockets freed by the collector so far (for tests and --stats). */
export let collected = 0;

/** s's references or flights changed: it is a candidate or not; a new candidate may make garbage. */
export function gcUpdate(s: GcSocket): void {
  const candidate = s.inflight > 0 && s.refCount === s.inflight;
  if (!candidate) {
    candidates.delete(s);
    return;
  }
  if (candidates.has(s)) return;
  candidates.add(s);
  if (++triggers >= threshold) collectGarbage();
}

/** Frees every socket in flight that nothing outside flight can reach; answers how many. */
export function collectGarbage(): number {
  if (collecting || candidates.size === 0) return 0;
  collecting = true;
  try {
    const cand = [...candidates];
    const inside = new Map<GcSocket, number>();
    for (const c of cand) for (const f of c.inflightSockets()) if (candidates.has(f)) inside.set(f, (inside.get(f) ?? 0) + 1);
    const alive = new Set<GcSocket>();
    const stack = cand.filter((c) => (inside.get(c) ?? 0) < c.inflight);
    for (const s of stack) alive.add(s);
    while (stack.length > 0) {
      for (const f of stack.pop()!.inflightSockets()) {
        if (candidates.has(f) && !alive.has(f)) {
          alive.add(f);
          stack.push(f);
        }
      }
    }
    const garbage = cand.filter((c) => !alive.has(c));
    for (const g of garbage) candidates.delete(g);
    for (const g of garbage) g.dropQueued();
    collected += garbage.length;
    triggers = 0;
    threshold = Math.max(1, Math.floor(alive.size / 64));
    return garbage.length;
  } finally {
    collecting = false;
  }
}
