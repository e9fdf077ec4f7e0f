// The GIC with several CPUs: SGIs and PPIs banked per CPU, SGI routing
// (GICD_SGIR, ICC_SGI1R_EL1), SPI targets (ITARGETSR, IROUTER) and one
// GICv3 redistributor per CPU.
import { describe, expect, it } from 'vitest';
import { GicV2 } from '../../board/virt/gic-v2';
import { GicV3 } from '../../board/virt/gic-v3';

function v2(n: number) {
  const cpus = Array.from({ length: n }, () => ({ irqLine: false, fiqLine: false }));
  let current = 0;
  const g = new GicV2(cpus, () => current);
  const as = (cpu: number) => {
    current = cpu;
    return g;
  };
  as(0).distributor.write(0x000, 4, 1);
  for (let c = 0; c < n; c++) {
    as(c).cpuInterface.write(0x00, 4, 1);
    g.cpuInterface.write(0x04, 4, 0xff);
  }
  return { g, cpus, as };
}

describe('GICv2 with four CPUs', () => {
  it('routes GICD_SGIR by target list, all-but-self and self, with the source CPU in IAR', () => {
    const { cpus, as } = v2(4);
    as(2).distributor.write(0xf00, 4, (0b0010 << 16) | 7); // CPU 2 -> CPU 1, SGI 7
    expect(cpus.map((c) => c.irqLine)).toEqual([false, true, false, false]);
    expect(as(1).cpuInterface.read(0x0c, 4)).toBe(7 | (2 << 10));
    as(1).cpuInterface.write(0x10, 4, 7 | (2 << 10));
    expect(cpus[1].irqLine).toBe(false);
    as(3).distributor.write(0xf00, 4, (1 << 24) | 4); // all but self
    expect(cpus.map((c) => c.irqLine)).toEqual([true, true, true, false]);
    expect(as(0).distributor.read(0xf14, 4)).toBe(1 << 3); // GICD_SPENDSGIR1: SGI 4 from CPU 3, as CPU 0 sees it
    expect(as(3).distributor.read(0xf14, 4)).toBe(0);
  });

  it('banks the PPI enables and priorities; SGI/PPI ITARGETSR read as the reader itself', () => {
    const { g, cpus, as } = v2(2);
    as(1).distributor.write(0x100, 4, 1 << 30);
    as(1).distributor.write(0x400 + 30, 1, 0x40);
    g.setPrivateLevel(0, 30, true);
    g.setPrivateLevel(1, 30, true);
    expect(cpus.map((c) => c.irqLine)).toEqual([false, true]);
    expect(as(0).distributor.read(0x100, 4) >>> 30).toBe(0);
    expect(as(0).distributor.read(0x41c, 4) >>> 16).toBe(0);
    expect(as(1).distributor.read(0x41c, 4) >>> 16).toBe(0x40);
    expect(as(0).distributor.read(0x81c, 4)).toBe(0x01010101);
    expect(as(1).distributor.read(0x81c, 4)).toBe(0x02020202);
  });

  it('delivers an SPI to the CPUs in its ITARGETSR byte, which keeps all eight bits as QEMU does', () => {
    const { g, cpus, as } = v2(2);
    as(0).distributor.write(0x100 + 4, 4, 1 << 8); // enable SPI 40
    g.setLevel(40, true);
    expect(cpus.map((c) => c.irqLine)).toEqual([false, false]); // targets nobody after reset
    as(0).distributor.write(0x828, 1, 0xf2);
    expect(as(1).distributor.read(0x828, 4) & 0xff).toBe(0xf2);
    expect(cpus.map((c) => c.irqLine)).toEqual([false, true]);
    expect(as(0).distributor.read(0x004, 4)).toBe(0x28); // CPUNumber = 1
  });
});

describe('GICv3 with four CPUs', () => {
  function v3() {
    const cpus = Array.from({ length: 4 }, () => ({ irqLine: false, fiqLine: false }));
    const g = new GicV3(cpus);
    g.distributor.write(0x000, 4, 2); // group 1
    for (let c = 0; c < 4; c++) {
      g.redistributor.write(c * 0x20000 + 0x1_0080, 4, 0xffffffff); // everything group 1
      g.redistributor.write(c * 0x20000 + 0x1_0100, 4, 0xffff); // SGIs enabled
      g.cpuInterfaces[c].write('PMR', 0xff, 0);
      g.cpuInterfaces[c].write('IGRPEN1', 1, 0);
    }
    return { g, cpus };
  }

  it('sends ICC_SGI1R_EL1 to the listed Aff0s, or with IRM to all but the sender', () => {
    const { g, cpus } = v3();
    g.cpuInterfaces[0].write('SGI1R', (3 << 24) | 0b1100, 0);
    expect(cpus.map((c) => c.irqLine)).toEqual([false, false, true, true]);
    expect(g.cpuInterfaces[2].read('IAR1')).toBe(3); // no source CPU in GICv3's INTID
    g.cpuInterfaces[2].write('EOIR1', 3, 0);
    g.cpuInterfaces[3].read('IAR1');
    g.cpuInterfaces[3].write('EOIR1', 3, 0);
    g.cpuInterfaces[1].write('SGI1R', 5 << 24, 1 << 8); // IRM
    expect(cpus.map((c) => c.irqLine)).toEqual([true, false, true, true]);
    g.cpuInterfaces[0].write('SGI1R', (1 << 24) | 1, 1); // Aff1.. = 1: nobody
    expect(g.cpuInterfaces[0].read('HPPIR1')).toBe(5);
  });

  it('has one redistributor per CPU: processor number, affinity and Last', () => {
    const { g } = v3();
    const typer = (c: number) => [g.redistributor.read(c * 0x20000 + 8, 4), g.redistributor.read(c * 0x20000 + 12, 4)];
    expect(typer(0)).toEqual([0x01000001, 0]);
    expect(typer(2)).toEqual([0x01000201, 2]);
    expect(typer(3)).toEqual([0x01000311, 3]);
    expect(g.redistributor.read(4 * 0x20000 + 8, 4)).toBe(0);
  });

  it('routes an SPI by GICD_IROUTER to the CPU of that affinity', () => {
    const { g, cpus } = v3();
    g.distributor.write(0x084, 4, 0xffffffff); // SPIs 32-63 group 1
    g.distributor.write(0x104, 4, 1 << 8); // enable 40
    g.setLevel(40, true);
    expect(cpus.map((c) => c.irqLine)).toEqual([true, false, false, false]); // reset: affinity 0
    g.distributor.write(0x6000 + 8 * 40, 4, 2);
    expect(cpus.map((c) => c.irqLine)).toEqual([false, false, true, false]);
  });
});
