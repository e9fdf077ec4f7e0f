// The tier invariants pass: a debug walk of the live MemoryObjects and
// VSpaces (mo-invariants.ts, vspace-invariants.ts) and, across them, the PMM's
// counts: every frame owned 'mo-data' is held by some store of a live object
// and every 'mo-meta' frame is one of their radix nodes (nothing leaked).
// `salty run --audit` runs it (kernel/linux/run-audit.ts); the memory-tier
// tests call assertTierInvariants after the operations they exercise.

import { SHARED_MAPPING_KIND, type MemoryManager } from './memory-manager';
import { checkMemoryObjects } from './mo-invariants';
import { checkVSpace } from './vspace-invariants';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Every violation found, one line each naming the object and the rule (empty: all hold). */
export function checkTierInvariants(mm: MemoryManager): string[] {
  const out: string[] = [];
  const census = checkMemoryObjects(mm.memoryObjects, mm.pmm, mm.vspaces, out);
  const tableOwners = new Map<number, number>();
  for (const vs of mm.vspaces) checkVSpace(vs, mm.pmm, mm.memoryObjects, tableOwners, out);
  checkAsids(mm, out);
  checkSharedMappings(mm, out);
  const c = mm.counters;
  if (c.moCreated - c.moDestroyed !== mm.memoryObjects.size) out.push(`MemoryManager: ${c.moCreated} MemoryObjects created, ${c.moDestroyed} destroyed, but ${mm.memoryObjects.size} live`);
  const owned = mm.pmm.stats();
  if (owned['mo-data'] !== census.frames.size) {
    const held = new Set<number>();
    for (const f of census.frames.keys()) held.add(f.pa);
    out.push(`PMM: ${owned['mo-data']} frames owned 'mo-data', ${census.frames.size} held by live MemoryObjects${leaked(mm, 'mo-data', held)}`);
  }
  if (owned['mo-meta'] !== census.nodeFrames) out.push(`PMM: ${owned['mo-meta']} frames owned 'mo-meta', ${census.nodeFrames} are radix nodes of live MemoryObjects`);
  return out;
}

/** Live VSpaces of the current generation hold distinct ASIDs, none of them free to hand out again, each in its root. */
function checkAsids(mm: MemoryManager, out: string[]): void {
  const holder = new Map<number, number>();
  const freed = new Set(mm.asids.freedAsids);
  for (const vs of mm.vspaces) {
    const tag = vs.internals().asidTag;
    if (!mm.asids.isCurrent(tag)) continue;
    const name = `VSpace ${vs.id}: ASID ${tag.asid}`;
    if (tag.asid <= 0 || tag.asid >= mm.asids.limit) out.push(`${name} is outside 1..${mm.asids.limit - 1}`);
    if (vs.root.asid !== tag.asid) out.push(`${name}, but its root is tagged ${vs.root.asid}`);
    if (freed.has(tag.asid)) out.push(`${name} is also on the free list`);
    const other = holder.get(tag.asid);
    if (other !== undefined) out.push(`${name} is also VSpace ${other}'s`);
    holder.set(tag.asid, vs.id);
  }
}

/** Each object's charge for its shared pages' mappings is what its mappings record, and the ledger holds their sum. */
function checkSharedMappings(mm: MemoryManager, out: string[]): void {
  let sum = 0;
  for (const mo of mm.memoryObjects) {
    let recorded = 0;
    for (const list of mo.internals().rmap.values()) for (const m of list) recorded += m.charged;
    if (mo.sharedMappingBytes !== recorded) out.push(`MemoryObject ${mo.id}: charged ${mo.sharedMappingBytes} bytes for shared mappings, its mappings record ${recorded}`);
    sum += mo.sharedMappingBytes;
  }
  const held = mm.kobjs.bytesOf(SHARED_MAPPING_KIND);
  if (held !== sum) out.push(`kernel-object ledger: ${held} bytes of ${SHARED_MAPPING_KIND}, the live MemoryObjects' charges add to ${sum}`);
}

/** Throws with every violation, one a line, unless all hold. */
export function assertTierInvariants(mm: MemoryManager): void {
  const problems = checkTierInvariants(mm);
  if (problems.length > 0) throw new Error(`tier invariants:\n${problems.join('\n')}`);
}

/** The first few frames owned owner that nothing holds, for the message. */
function leaked(mm: MemoryManager, owner: 'mo-data', held: ReadonlySet<number>): string {
  const pmm = mm.pmm;
  const found: string[] = [];
  for (let f = 0; f < pmm.frameCount && found.length < 3; f++) {
    const pa = pmm.ramBase + f * 4096;
    if (pmm.ownerOf(pa) === owner && !held.has(pa)) found.push(hex(pa));
  }
  return found.length > 0 ? ` (leaked: ${found.join(', ')}${found.length === 3 ? ', ...' : ''})` : '';
}
