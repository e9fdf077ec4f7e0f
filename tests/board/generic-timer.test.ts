import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../board/aarch64/cpu';
import { GenericTimer } from '../../board/virt/generic-timer';
import { InstructionTime } from '../../board/virt/time-source';

function timer() {
  let retired = 1000;
  const time = new InstructionTime(() => retired);
  const t = new GenericTimer(time);
  const levels: Array<[string, boolean]> = [];
  t.physical.irq = (l) => levels.push(['p', l]);
  t.virtual.irq = (l) => levels.push(['v', l]);
  const cpu = { sysLo: 0, sysHi: 0, stop: 0 } as unknown as Cpu;
  const read = (which: 0 | 1, reg: 'ctl' | 'cval' | 'tval') => {
    t.readTimerRegister(cpu, which, reg);
    return [cpu.sysLo, cpu.sysHi];
  };
  return { t, time, levels, cpu, read, advance: (n: number) => (retired += n) };
}

describe('generic timer', () => {
  it('counts at 62.5 MHz in retired instructions plus skipped time', () => {
    const { t, time, cpu, advance } = timer();
    expect(t.frequency).toBe(62_500_000);
    advance(500);
    t.readCounter(cpu);
    expect([cpu.sysLo, cpu.sysHi]).toEqual([1500, 0]);
    time.skipTo(2 ** 33 + 5);
    t.readCounter(cpu);
    expect([cpu.sysLo, cpu.sysHi]).toEqual([5, 2]);
  });

  it('fires the physical timer at CVAL set through TVAL, level-high until disabled or masked', () => {
    const { t, levels, cpu, read, advance } = timer();
    t.writeTimerRegister(cpu, 0, 'tval', 100, 0);
    expect(cpu.stop).toBe(1); // the board re-plans its slice
    expect(read(0, 'cval')).toEqual([1100, 0]);
    t.writeTimerRegister(cpu, 0, 'ctl', 1, 0);
    expect(t.nextDeadline()).toBe(1100);
    advance(60);
    expect(read(0, 'tval')[0]).toBe(40);
    t.update();
    expect(levels).toEqual([]);
    advance(50);
    t.update();
    expect(levels).toEqual([['p', true]]);
    expect(read(0, 'ctl')[0]).toBe(5); // ENABLE | ISTATUS
    expect(read(0, 'tval')[0]).toBe(-10); // signed: past the deadline
    expect(t.nextDeadline()).toBe(Infinity);
    t.writeTimerRegister(cpu, 0, 'ctl', 3, 0); // IMASK
    expect(levels).toEqual([['p', true], ['p', false]]);
    expect(read(0, 'ctl')[0]).toBe(7);
    t.writeTimerRegister(cpu, 0, 'ctl', 0, 0);
    expect(read(0, 'ctl')[0]).toBe(0); // ISTATUS reads 0 while disabled, as on QEMU
  });

  it('keeps the virtual timer separate and ignores a CVAL beyond 2^53', () => {
    const { t, levels, cpu, advance } = timer();
    t.writeTimerRegister(cpu, 1, 'cval', 1200, 0);
    t.writeTimerRegister(cpu, 1, 'ctl', 1, 0);
    t.writeTimerRegister(cpu, 0, 'cval', -1, -1);
    t.writeTimerRegister(cpu, 0, 'ctl', 1, 0);
    expect(t.nextDeadline()).toBe(1200);
    advance(200);
    t.update();
    expect(levels).toEqual([['v', true]]);
  });
});
