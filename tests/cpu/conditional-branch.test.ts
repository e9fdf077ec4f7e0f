// B.cond decodes to a closure with its condition written in: every condition
// against every NZCV value, checked with the Arm ARM's ConditionHolds.

import { describe, expect, it } from 'vitest';
import { Cpu } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';

const RAM_BASE = 0x4000_0000;
const MOVZ_X0_1 = 0xd2800020;
const MOVZ_X0_2 = 0xd2800040;
const BRK = 0xd4200000;

/** Arm ARM C1.2.4 / shared pseudocode ConditionHolds. */
function conditionHolds(cond: number, n: number, z: number, c: number, v: number): boolean {
  let result: boolean;
  switch (cond >> 1) {
    case 0: result = z === 1; break;
    case 1: result = c === 1; break;
    case 2: result = n === 1; break;
    case 3: result = v === 1; break;
    case 4: result = c === 1 && z === 0; break;
    case 5: result = n === v; break;
    case 6: result = n === v && z === 0; break;
    default: result = true;
  }
  return (cond & 1) === 1 && cond !== 15 ? !result : result;
}

/** Runs `b.<cond> +12` with the given NZCV; true when it branched. */
function branches(cond: number, nzcv: number): boolean {
  const phys = new PhysicalMemory(RAM_BASE, 1 << 20);
  const cpu = new Cpu(phys, { hosted: true });
  const bcond = (0x54000000 | (3 << 5) | cond) >>> 0;
  const words = [bcond, MOVZ_X0_1, BRK, MOVZ_X0_2, BRK];
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(4 * i, w, true));
  phys.writeBytes(RAM_BASE, bytes);
  cpu.setEl(0);
  cpu.pc = RAM_BASE;
  cpu.state.nzcv = nzcv << 28;
  cpu.run(100);
  return cpu.state.getX(0) === 2n;
}

describe('B.cond', () => {
  for (let cond = 0; cond < 16; cond++) {
    it(`condition ${cond} against all 16 NZCV values`, () => {
      for (let nzcv = 0; nzcv < 16; nzcv++) {
        const want = conditionHolds(cond, (nzcv >> 3) & 1, (nzcv >> 2) & 1, (nzcv >> 1) & 1, nzcv & 1);
        expect([cond, nzcv, branches(cond, nzcv)]).toEqual([cond, nzcv, want]);
      }
    });
  }
});
