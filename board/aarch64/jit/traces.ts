// Regions whose blocks span code pages ("traces", BlockCompiler.regionPages).
//
// A region's function belongs to its head block, found by the run loop
// through the fetch translation of the head's page. Its blocks in other
// pages were read from the physical pages their virtual pages mapped to at
// compile time; whether they still do is checked at run time, once per
// translation epoch: every way into a compiled function goes through the run
// loop's entry of its PC in the jump cache (the dispatcher only calls what
// the run loop entered in the current epoch), and the run loop first calls
// `validate`, which translates each other page (relative to the head's
// virtual address) for execution and compares the code page with the one
// compiled. The result goes to the trace's check word in the CPU slot: the
// epoch when every page matched, else -1. An edge into another page than
// the head's goes on only while its word equals the slot's epoch
// (region-translator.ts), else it leaves to the dispatcher at that PC, as a
// function ending there would.
//
// Every change of what a virtual address fetches bumps the epoch (TLB
// maintenance, ASID and translation register changes, exception level
// changes: munmap, mprotect, exec, COW all end in one), and so does dropped
// code (a store into any code page), so a word set in an earlier epoch never
// matches. A page of the trace whose code was dropped makes `validate` say
// so: the compiler forgets the function (the block compiles again when hot).

import { SLOT_TRACE_CHECKS, TRACE_CHECKS } from './cpu-slot';

/** What a trace needs of a code page: the object is replaced when the page's code is dropped. */
export interface TracePage {
  readonly valid: boolean;
}

export interface Trace {
  /** Index of the trace's check word. */
  readonly check: number;
  /** The other pages: byte distance of each from the head's page, and the code page compiled from. */
  readonly pages: ReadonlyArray<{ readonly delta: number; readonly page: TracePage }>;
  /** An epoch in which some entry found a page mapped elsewhere (the word stays -1 for the rest of it). */
  failedEpoch: number;
}

/** The code page that virtual address `va` fetches from now, or undefined when it does not translate for execution. */
export type FetchProbe = (va: number) => TracePage | undefined;

export class Traces {
  private readonly words: Int32Array;
  private next = 0;

  constructor(buffer: ArrayBuffer, slot: number, private readonly probe: FetchProbe) {
    this.words = new Int32Array(buffer, slot + SLOT_TRACE_CHECKS, TRACE_CHECKS).fill(-1);
  }

  /** A check word for a new trace (unchecked until `validate`), or -1 when every word is taken until `reset`. */
  allocate(): number {
    if (this.next === TRACE_CHECKS) return -1;
    this.words[this.next] = -1;
    return this.next++;
  }

  /** Every compiled function was forgotten. */
  reset(): void {
    this.next = 0;
    this.words.fill(-1);
  }

  /**
   * The run loop is about to enter the trace at `pc` in `epoch`: sets its check word. False when a page of it
   * lost its code (the caller forgets the function; the word stays -1, so this entry stops at that page).
   */
  validate(t: Trace, pc: number, epoch: number): boolean {
    const headVa = pc - (pc & 4095);
    let ok = t.failedEpoch !== epoch;
    for (const p of t.pages) {
      if (!p.page.valid) {
        this.words[t.check] = -1;
        return false;
      }
      if (ok && this.probe(headVa + p.delta) !== p.page) ok = false;
    }
    if (!ok) t.failedEpoch = epoch;
    this.words[t.check] = ok ? epoch : -1;
    return true;
  }
}
