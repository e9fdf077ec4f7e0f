// Memory as a debugger sees it through the CPU's current translation
// (qemu's cpu_memory_rw_debug): a stage-1 walk that ignores permissions and
// fills no TLB, then RAM or flash storage. Device registers are not read
// (a read could change them); their addresses answer as faults.

import type { Cpu } from './cpu';
import { walk } from './mmu/walk';

const TWO32 = 4294967296;
const PA_LIMIT = 2 ** 48;

/** The physical address of va in the CPU's current regime, or -1 when it has none. */
export function debugTranslate(cpu: Cpu, va: number): number {
  if (!cpu.vm.mmuEnabled) return va >= 0 && va < PA_LIMIT ? va : -1;
  const r = walk(cpu.phys, cpu.vm.regs, va >>> 0, Math.floor(va / TWO32) >>> 0);
  return r.ok ? r.pagePa + (va & 4095) : -1;
}

/** The readable head of [va, va + len). */
export function debugRead(cpu: Cpu, va: number, len: number): Uint8Array {
  const out: number[] = [];
  const phys = cpu.phys;
  for (let at = va; at < va + len; ) {
    const pa = debugTranslate(cpu, at);
    const off = pa < 0 ? -1 : phys.storageOffset(pa);
    if (off < 0) break;
    const n = Math.min(va + len - at, 4096 - (at & 4095), phys.bytes.length - off);
    for (let i = 0; i < n; i++) out.push(phys.bytes[off + i]);
    at += n;
  }
  return Uint8Array.from(out);
}

/** Writes bytes at va (RAM only); false, having written nothing, when any page is not RAM. */
export function debugWrite(cpu: Cpu, va: number, bytes: Uint8Array): boolean {
  const pieces: [number, number, number][] = [];
  for (let done = 0; done < bytes.length; ) {
    const at = va + done;
    const pa = debugTranslate(cpu, at);
    const n = Math.min(bytes.length - done, 4096 - (at & 4095));
    if (pa < 0 || !cpu.phys.isRam(pa, n)) return false;
    pieces.push([pa, done, n]);
    done += n;
  }
  for (const [pa, from, n] of pieces) cpu.phys.writeBytes(pa, bytes.subarray(from, from + n));
  return true;
}
