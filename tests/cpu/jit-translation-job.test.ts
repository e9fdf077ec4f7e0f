// The block compiler's batch as data (jit/translation-job.ts) and the answers
// a thread without the CPU gives its translator (interpreter-ops.ts
// tableFacts, used by tools/cli/jit-worker.ts): they must be the CPU's own, or
// a batch translated there compiles less (an instruction it refuses ends the
// function) or is dropped (an op the CPU's thread does not take).

import { describe, expect, it } from 'vitest';
import { Cpu } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { a64Table } from '../../board/aarch64/isa/a64-table';
import { interpreterOps, tableFacts } from '../../board/aarch64/jit/interpreter-ops';
import { translateJob, type TranslationJob } from '../../board/aarch64/jit/translation-job';
import { BASE, SIZE } from './jit-diff-harness';

function words(count: number, seed: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push((x ^ (x << 7)) >>> 0);
  }
  return out;
}

describe('the translator without the CPU', () => {
  const cpu = new Cpu(new PhysicalMemory(BASE, SIZE), { hosted: true, jit: 'off' });
  const ops = interpreterOps(cpu);
  const table = a64Table();
  const facts = tableFacts(table);

  it('takes as interpretable exactly the instructions the CPU runs inside compiled code, and the same no-ops', () => {
    // Every encoding's fixed value, each with random field bits, and random words.
    const rnd = words(40000, 0x5eed);
    const probe = [...table.encodings.flatMap((e, i) => [e.value, (e.value | (rnd[i % rnd.length] & ~e.mask)) >>> 0]), ...rnd];
    let interpretable = 0;
    for (const w of probe) {
      const yes = ops.decode(w, 0) !== undefined;
      expect(facts.interpretable(w), `${w.toString(16)} ${cpu.encodingName(w)}`).toBe(yes);
      if (yes) interpretable++;
    }
    // The probe reaches both answers often (LD1/ST1 multiple structures among the yes: their handler reads cpu.state.vb).
    expect(interpretable).toBeGreaterThan(5000);
    expect(facts.interpretable(0x4c407000)).toBe(true); // ld1 {v0.16b}, [x0]
    for (const w of [0xd503201f, 0xd503203f, 0xd503207f, 0xd5033bbf, 0xd5033fdf]) expect(facts.isNop(w), w.toString(16)).toBe([0xd503201f, 0xd503203f, 0xd5033bbf].includes(w)); // NOP, YIELD, DMB ISH; not WFI, ISB
  });

  it('translates a batch from its words alone: a region, a block, a refusal; ops numbered by instruction', () => {
    // Page 0: loop: ldaxr w1, [x0] ; add w1, w1, #1 ; stlxr w2, w1, [x0] ; cbnz w2, loop ; b.ne loop2
    //         loop2: subs x3, x3, #1 ; b.ne loop ; ret.  At 0x100: udf #0 (refused).
    const page = new Uint32Array(1024);
    page.set([0x885ffc01, 0x11000421, 0x8802fc01, 0x35ffffa2, 0x54000021, 0xf1000463, 0x54ffff41, 0xd65f03c0]);
    page[0x40] = 0x00000000;
    const job: TranslationJob = {
      slot: 0,
      memoryPages: 1,
      calls: false,
      pages: [page],
      items: [
        { page: 0, startOff: 0, endOff: 16, missExits: true, kernelData: false, region: { blocks: [{ start: 0, end: 16 }, { start: 20, end: 28 }], otherPages: [] } },
        { page: 0, startOff: 20, endOff: 28, missExits: true, kernelData: false },
        { page: 0, startOff: 0x100, endOff: 0x104, missExits: true, kernelData: false },
      ],
    };
    const r = translateJob(job, tableFacts(table));
    expect(r.bytes).toBeDefined();
    expect(() => new WebAssembly.Module(r.bytes!)).not.toThrow();
    expect(r.items.map((i) => [i.count, i.regionBlocks, i.insns, i.func >= 0])).toEqual([
      [4, 2, 6, true],
      [2, 0, 2, true],
      [0, 0, 0, false],
    ]);
    expect(r.items[2].stopped).toBe(0);
    // The exclusives run as the interpreter's ops: each number names its instruction and page offset.
    expect(r.ops.length).toBeGreaterThan(0);
    for (let i = 0; i < r.ops.length; i += 2) {
      expect([0x885ffc01, 0x8802fc01]).toContain(r.ops[i] >>> 0);
      expect(r.ops[i + 1]).toBe(r.ops[i] >>> 0 === 0x885ffc01 ? 0 : 8);
    }
  });
});
