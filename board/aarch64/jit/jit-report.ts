// The block compiler's figures for --stats.

import type { BlockCompiler } from './block-compiler';

export function jitReport(jit: BlockCompiler): string[] {
  const s = jit.stats;
  const stoppers = [...s.stoppers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  const interpreted = [...s.interpreted.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return [
    `block compiler (${jit.mode}): ${s.blocks} blocks in ${s.modules} modules (${s.partial} up to an instruction it does not take), ${s.refused} refused, ${(s.bytes / 1024).toFixed(0)} KiB (${(s.bytes / Math.max(1, s.insns)).toFixed(0)} bytes a guest instruction), ${s.compileMs.toFixed(0)} ms compiling (${s.instantiateMs.toFixed(0)} ms of it in WebAssembly.Module/Instance)`,
    ...(s.offThread + s.offThreadLost > 0 ? [`  translated on another thread: ${s.offThread} batches in ${s.offThreadMs.toFixed(0)} ms there${s.offThreadLost > 0 ? `, ${s.offThreadLost} not used` : ''}`] : []),
    `  regions: ${s.regions} functions of ${s.regionBlocks} blocks` + (s.traces > 0 ? `, ${s.traces} spanning pages (${s.tracesDropped} dropped when a page lost its code)` : ''),
    `  chains from the run loop: ${s.chains}, ${s.chained} instructions in them (${(s.chained / Math.max(1, s.chains)).toFixed(1)} a chain)${s.resets > 0 ? `, all forgotten ${s.resets} times` : ''}`,
    `  slow memory accesses ${jit.missExits ? `left at: ${s.misses} (${s.missDemoted} functions then compiled with host calls)` : 'call the host'}`,
    ...(jit.countDispatches ? [`  dispatcher lookups: ${jit.dispatches}`] : []),
    ...(jit.chain !== false ? [`  exit links (${jit.chain === true ? 'every exit' : 'known targets'}, depth ${jit.chainDepth}): ${jit.linksTaken} taken`] : []),
    // (An instruction compiled inline whose slow cases (a TLB miss, FPCR off its defaults, an operand off the fast
    // path) run the interpreter's op is counted here too: FMLA's appear though its ordinary lanes run compiled.)
    ...(interpreted.length > 0 ? [`  calls to the interpreter compiled in (instructions outside the subset, or slow cases of those inside): ${interpreted.map(([n, k]) => `${n} ${k}`).join(', ')}`] : []),
    ...(stoppers.length > 0 ? [`  stopped at: ${stoppers.map(([n, k]) => `${n} ${k}`).join(', ')}`] : []),
  ];
}
