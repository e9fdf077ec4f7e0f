// The GICv3 ITS: commands from the queue in guest memory turn into LPIs on
// the CPU their collection names; configuration from the property table.
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { GicV3 } from '../../board/virt/gic-v3';
import { GIC_REDIST_BASE, RAM_BASE } from '../../board/virt/memory-map';
import { ITS_BASE } from '../../board/virt/gic-its';

const PROP = RAM_BASE + 0x10000;
const QUEUE = RAM_BASE + 0x20000;
/** The device and collection tables (64 KiB pages, one each) and each device's ITT. */
const DEVICE_TABLE = RAM_BASE + 0x40000;
const COLLECTION_TABLE = RAM_BASE + 0x50000;
const itt = (dev: number) => RAM_BASE + 0x60000 + dev * 0x1000;

function setup() {
  const phys = new PhysicalMemory(RAM_BASE, 1 << 20);
  const cpus = Array.from({ length: 4 }, () => ({ irqLine: false, fiqLine: false }));
  const g = new GicV3(cpus);
  g.attach(phys);
  const w32 = (a: number, v: number) => phys.findDevice(a)!.device.write(a - phys.findDevice(a)!.base, 4, v >>> 0);
  const r32 = (a: number) => phys.findDevice(a)!.device.read(a - phys.findDevice(a)!.base, 4);
  w32(0x0800_0000, 2); // GICD_CTLR: group 1
  for (let c = 0; c < 4; c++) {
    const rd = GIC_REDIST_BASE + c * 0x20000;
    w32(rd + 0x70, PROP | 13); // PROPBASER: 14 ID bits
    w32(rd + 0x74, 0);
    w32(rd + 0x00, 1); // EnableLPIs
    g.cpuInterfaces[c].write('PMR', 0xff, 0);
    g.cpuInterfaces[c].write('IGRPEN1', 1, 0);
  }
  w32(ITS_BASE + 0x100, DEVICE_TABLE | (2 << 8)); // GITS_BASER0: valid, flat, 64 KiB pages
  w32(ITS_BASE + 0x104, 0x80000000 | r32(ITS_BASE + 0x104));
  w32(ITS_BASE + 0x108, COLLECTION_TABLE | (2 << 8));
  w32(ITS_BASE + 0x10c, 0x80000000 | r32(ITS_BASE + 0x10c));
  w32(ITS_BASE + 0x80, QUEUE); // CBASER: one page
  w32(ITS_BASE + 0x84, 0x80000000);
  w32(ITS_BASE + 0x00, 1);
  let tail = 0;
  const send = (...dws: [number, number][]) => {
    for (let k = 0; k < 4; k++) {
      const [lo, hi] = dws[k] ?? [0, 0];
      phys.view.setUint32(QUEUE - RAM_BASE + tail + 8 * k, lo >>> 0, true);
      phys.view.setUint32(QUEUE - RAM_BASE + tail + 8 * k + 4, hi >>> 0, true);
    }
    tail += 32;
    w32(ITS_BASE + 0x88, tail);
    expect(r32(ITS_BASE + 0x90)).toBe(tail); // CREADR caught up
  };
  const config = (lpi: number, byte: number) => (phys.bytes[PROP - RAM_BASE + lpi - 8192] = byte);
  return { g, cpus, send, config };
}

/** MAPD with `bits` EventID bits (an EventID must fit them, as QEMU checks). */
const MAPD = (dev: number, bits = 8) => [[0x08, dev], [bits - 1, 0], [itt(dev), 0x80000000]] as [number, number][];
const MAPC = (icid: number, pe: number) => [[0x09, 0], [0, 0], [icid | (pe << 16), 0x80000000]] as [number, number][];
const MAPTI = (dev: number, ev: number, lpi: number, icid: number) => [[0x0a, dev], [ev, lpi], [icid, 0]] as [number, number][];
const MAPI = (dev: number, ev: number, icid: number) => [[0x0b, dev], [ev, 0], [icid, 0]] as [number, number][];
const INT = (dev: number, ev: number) => [[0x03, dev], [ev, 0]] as [number, number][];
const CLEAR = (dev: number, ev: number) => [[0x04, dev], [ev, 0]] as [number, number][];
const DISCARD = (dev: number, ev: number) => [[0x0f, dev], [ev, 0]] as [number, number][];
const MOVI = (dev: number, ev: number, icid: number) => [[0x01, dev], [ev, 0], [icid, 0]] as [number, number][];
const MOVALL = (from: number, to: number) => [[0x0e, 0], [0, 0], [from << 16, 0], [to << 16, 0]] as [number, number][];
const INV = (dev: number, ev: number) => [[0x0c, dev], [ev, 0]] as [number, number][];

describe('GICv3 ITS', () => {
  it('INT raises the mapped LPI on its collection\'s CPU; IAR and EOI', () => {
    const { g, cpus, send, config } = setup();
    config(8200, 0xa0 | 3);
    send(...MAPD(1));
    send(...MAPC(5, 2));
    send(...MAPTI(1, 9, 8200, 5));
    send(...INT(1, 9));
    expect(cpus.map((c) => c.irqLine)).toEqual([false, false, true, false]);
    expect(g.cpuInterfaces[2].read('IAR1')).toBe(8200);
    expect(g.cpuInterfaces[2].read('RPR')).toBe(0xa0);
    g.cpuInterfaces[2].write('EOIR1', 8200, 0);
    expect(g.cpuInterfaces[2].read('RPR')).toBe(0xff);
    expect(cpus[2].irqLine).toBe(false);
  });

  it('CLEAR and DISCARD drop a pending LPI; a disabled one stays pending until INV sees it enabled', () => {
    const { cpus, send, config } = setup();
    config(8300, 0xa0); // disabled
    send(...MAPD(3, 14));
    send(...MAPC(1, 1));
    send(...MAPI(3, 8300, 1));
    send(...INT(3, 8300));
    expect(cpus[1].irqLine).toBe(false);
    config(8300, 0xa1);
    expect(cpus[1].irqLine).toBe(false); // cached configuration
    send(...INV(3, 8300));
    expect(cpus[1].irqLine).toBe(true);
    send(...CLEAR(3, 8300));
    expect(cpus[1].irqLine).toBe(false);
    send(...INT(3, 8300));
    send(...DISCARD(3, 8300));
    expect(cpus[1].irqLine).toBe(false);
    send(...INT(3, 8300)); // unmapped now
    expect(cpus[1].irqLine).toBe(false);
  });

  it('MOVI and MOVALL move pending LPIs to another CPU', () => {
    const { cpus, send, config } = setup();
    config(8400, 0xa1);
    send(...MAPD(4));
    send(...MAPC(0, 0));
    send(...MAPC(3, 3));
    send(...MAPTI(4, 1, 8400, 0));
    send(...INT(4, 1));
    expect(cpus.map((c) => c.irqLine)).toEqual([true, false, false, false]);
    send(...MOVI(4, 1, 3));
    expect(cpus.map((c) => c.irqLine)).toEqual([false, false, false, true]);
    send(...MOVALL(3, 1));
    expect(cpus.map((c) => c.irqLine)).toEqual([false, true, false, false]);
  });

  it('ignores what QEMU ignores: an EventID beyond the device\'s bits, an unmapped device, a table entry past GITS_BASER', () => {
    const { cpus, send, config } = setup();
    config(8500, 0xa1);
    send(...MAPD(5, 4));
    send(...MAPC(0, 0));
    send(...MAPTI(5, 20, 8500, 0)); // 20 needs 5 bits
    send(...INT(5, 20));
    send(...MAPTI(6, 1, 8500, 0)); // device 6 was never mapped
    send(...INT(6, 1));
    send(...MAPD(0x10000 - 1)); // 65535 * 8 bytes lie past the one 64 KiB page
    send(...MAPTI(0x10000 - 1, 1, 8500, 0));
    send(...INT(0x10000 - 1, 1));
    expect(cpus[0].irqLine).toBe(false);
    send(...MAPTI(5, 15, 8500, 0));
    send(...INT(5, 15));
    expect(cpus[0].irqLine).toBe(true);
  });
});
