// What a run of the command line used, for the launcher (salty-launcher.ts).
// V8's code cache holds the functions compiled when it was written: a cache
// written at the exit of `salty --version` holds the argument parser and not
// the emulator, and every later run compiled the emulator's functions from
// source again (its scanner and parser were 5-10% of the main thread in a
// run of sort). The command line notes what it used; the launcher writes the
// cache again at the exit of a run that went further than the cache's runs
// (the functions already in the cache stay in it). Only a program's run
// and a long run count: a cache that had also taken x86-64, compare, boot and
// gdb runs made later starts slower (a run of embed 0.42 -> 0.53 s, medians
// of five; docs/performance.md, session 12).

export const CODE_CACHE_USES = Symbol.for('salty.codeCacheUses');

// How far a run went, in order: each includes the one before it.
export const USE_RUN = 1;
/** A run long enough for hot code: the block compiler and the run loop's optimized paths. */
export const USE_LONG_RUN = 2;

/** Instructions after which a run counts as long (hot blocks compile after 64 runs). */
export const LONG_RUN_INSTRUCTIONS = 2_000_000;

export function noteUse(use: number): void {
  const g = globalThis as unknown as Record<symbol, number | undefined>;
  g[CODE_CACHE_USES] = Math.max(g[CODE_CACHE_USES] ?? 0, use);
}
