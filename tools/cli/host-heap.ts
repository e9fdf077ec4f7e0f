// The host heap after OOM kills. A killed process's kernel structures (its
// regions, mapped-page records, reverse maps) become garbage at once, and an
// OOM storm kills hundreds of processes in seconds; V8 lets its heap grow
// with the allocation rate before a full collection, so the host could hold
// guest RAM plus hundreds of MB of garbage (the 1 GiB OOM storm peaked at
// 1.7 GB). After a kill, when V8's heap has grown past a quarter of guest RAM
// (and 128 MiB) beyond what the last collection left, salty asks for a full
// collection: it costs about what is still live, which is small then.

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { oomKillHooks } from '../../kernel/linux/oom-killer';

let collect: (() => void) | undefined;

function fullCollection(): (() => void) | undefined {
  if (collect) return collect;
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
  return collect;
}

/** Reclaim the heap after OOM kills in a guest of ramBytes. */
export function reclaimAfterOomKills(ramBytes: number): void {
  const slack = Math.max(128 << 20, ramBytes / 4);
  let floor = getHeapStatistics().used_heap_size;
  oomKillHooks.push(() => {
    if (getHeapStatistics().total_heap_size < floor + slack) return;
    fullCollection()?.();
    floor = getHeapStatistics().used_heap_size;
  });
}
