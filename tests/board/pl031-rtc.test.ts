import { describe, expect, it } from 'vitest';
import { Pl031Rtc } from '../../board/virt/pl031-rtc';
import { InstructionTime } from '../../board/virt/time-source';

const HZ = 1000;

function rtc() {
  let ticks = 0;
  const r = new Pl031Rtc(new InstructionTime(() => ticks), HZ, 1_700_000_000);
  const levels: boolean[] = [];
  r.irq = (l) => levels.push(l);
  return { r, levels, advance: (n: number) => (ticks += n) };
}

describe('PL031 RTC', () => {
  it('counts seconds from its start time with the board time, and LR sets it', () => {
    const { r, advance } = rtc();
    expect(r.read(0, 4)).toBe(1_700_000_000);
    advance(2500);
    expect(r.read(0, 4)).toBe(1_700_000_002);
    r.write(8, 4, 100);
    expect(r.read(0, 4)).toBe(100);
    expect(r.read(8, 4)).toBe(100);
    advance(1000);
    expect(r.read(0, 4)).toBe(101);
    expect(r.read(0xc, 4)).toBe(1);
  });

  it('raises the match interrupt when the count reaches MR, if unmasked, until cleared', () => {
    const { r, levels, advance } = rtc();
    r.write(4, 4, 1_700_000_003);
    r.write(0x10, 4, 1);
    expect(r.nextDeadline()).toBe(3 * HZ);
    advance(2999);
    r.update();
    expect(levels).toEqual([]);
    advance(1);
    r.update();
    expect(levels).toEqual([true]);
    expect(r.read(0x18, 4)).toBe(1);
    r.write(0x1c, 4, 1);
    expect(levels).toEqual([true, false]);
  });

  it('has the PL031 ids', () => {
    const { r } = rtc();
    expect([0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => r.read(o, 4))).toEqual([0x31, 0x10, 0x14, 0, 0x0d, 0xf0, 0x05, 0xb1]);
  });
});
