// QEMU's default NIC (virtio-net-pci at 00:01.0) driven from the host side of
// the bus, as a driver would: configuration space and BAR sizing as QEMU 7.2
// answers them (values read from QEMU through U-Boot's `pci` commands), the
// legacy transport moving a transmitted frame to the used ring with INTx on
// SPI 4, the control queue's answers, and MSI-X messages reaching the GICv2m
// frame and, with a GICv3, the ITS's GITS_TRANSLATER through device,
// collection and translation tables in guest memory. The U-Boot session
// (tests/uboot) compares a whole driver's view with QEMU's.
import { describe, expect, it } from 'vitest';
import { VirtBoard } from '../../board/virt/virt-board';
import { PCIE_ECAM_BASE, PCIE_PIO_BASE } from '../../board/virt/pcie-host';
import { ITS_BASE } from '../../board/virt/gic-its';
import type { GicV3 } from '../../board/virt/gic-v3';
import { parseBootArgs } from '../../tools/cli/boot-args';
import { boardNics } from '../../tools/cli/boot-net-args';

const silent = { write: () => {}, writeErr: () => {}, readChar: () => -1 };
const RAM = 0x4000_0000;
const NIC = 1 << 3; // devfn of 00:01.0
const IO_BAR = 0x1000;
const MSIX_BAR = 0x1000_0000;
const MODERN_BAR = 0x1000_4000;

function bus(board: VirtBoard) {
  const dev = (pa: number) => {
    const r = board.phys.findDevice(pa);
    if (r === undefined) throw new Error(`nothing at 0x${pa.toString(16)}`);
    return { d: r.device, off: pa - r.base };
  };
  const read = (pa: number, size = 4) => {
    const { d, off } = dev(pa);
    return d.read(off, size) >>> 0;
  };
  const write = (pa: number, value: number, size = 4) => {
    const { d, off } = dev(pa);
    d.write(off, size, value >>> 0);
  };
  const cfg = (devfn: number, off: number) => PCIE_ECAM_BASE + (devfn << 12) + off;
  return { read, write, cfg, io: (port: number) => PCIE_PIO_BASE + port };
}

/** Assigns the NIC's BARs where U-Boot puts them and enables I/O, memory and bus mastering. */
function assign(b: ReturnType<typeof bus>): void {
  b.write(b.cfg(NIC, 0x10), IO_BAR);
  b.write(b.cfg(NIC, 0x14), MSIX_BAR);
  b.write(b.cfg(NIC, 0x20), MODERN_BAR);
  b.write(b.cfg(NIC, 0x24), 0);
  b.write(b.cfg(NIC, 0x04), 0x7, 2);
}

/** A legacy queue at `page`: 256 descriptors, the available ring after them, the used ring at the next 4 KiB. */
function legacyQueue(board: VirtBoard, b: ReturnType<typeof bus>, index: number, page: number) {
  const v = board.phys.view;
  b.write(b.io(IO_BAR + 14), index, 2);
  const num = b.read(b.io(IO_BAR + 12), 2);
  b.write(b.io(IO_BAR + 8), page / 4096);
  const avail = page + 16 * num;
  const used = Math.ceil((avail + 4 + 2 * num) / 4096) * 4096;
  let next = 0;
  return {
    num,
    /** Posts a chain of (address, length, writable) buffers and notifies the device. */
    post(bufs: Array<[number, number, boolean]>) {
      const head = next;
      bufs.forEach(([addr, len, w], i) => {
        const d = page - RAM + 16 * (next + i);
        v.setUint32(d, addr, true);
        v.setUint32(d + 4, 0, true);
        v.setUint32(d + 8, len, true);
        v.setUint16(d + 12, (i + 1 < bufs.length ? 1 : 0) | (w ? 2 : 0), true);
        v.setUint16(d + 14, next + i + 1, true);
      });
      next += bufs.length;
      const idx = v.getUint16(avail - RAM + 2, true);
      v.setUint16(avail - RAM + 4 + 2 * (idx % num), head, true);
      v.setUint16(avail - RAM + 2, idx + 1, true);
      b.write(b.io(IO_BAR + 16), index, 2);
    },
    usedIdx: () => v.getUint16(used - RAM + 2, true),
    usedLen: (k: number) => v.getUint32(used - RAM + 4 + 8 * k + 4, true),
  };
}

describe('virtio-net-pci (QEMU -M virt default NIC)', () => {
  it('is absent unless asked for: 00:01.0 reads all ones', () => {
    const b = bus(new VirtBoard({ ramSize: 1 << 24, console: silent }));
    expect(b.read(b.cfg(0, 0))).toBe(0x00081b36);
    expect(b.read(b.cfg(NIC, 0))).toBe(0xffffffff);
    expect(b.read(0x2000_0000)).toBe(0xffffffff); // PCI MMIO window, nothing decodes
  });

  it('answers configuration and BAR sizing as QEMU 7.2', () => {
    const b = bus(new VirtBoard({ ramSize: 1 << 24, console: silent, nics: [{}] }));
    expect(b.read(b.cfg(NIC, 0x00))).toBe(0x10001af4);
    expect(b.read(b.cfg(NIC, 0x08))).toBe(0x02000000);
    expect(b.read(b.cfg(NIC, 0x2c))).toBe(0x00011af4);
    expect(b.read(b.cfg(NIC, 0x34), 1)).toBe(0x98); // MSI-X first, then the virtio capabilities
    expect(b.read(b.cfg(NIC, 0x3c))).toBe(0x00000100);
    for (const [off, want] of [[0x10, 0xffffffe1], [0x14, 0xfffff000], [0x20, 0xffffc00c], [0x24, 0xffffffff], [0x30, 0xfffc0001]] as const) {
      b.write(b.cfg(NIC, off), 0xffffffff);
      expect(b.read(b.cfg(NIC, off)), `BAR at 0x${off.toString(16)}`).toBe(want);
    }
    b.write(b.cfg(NIC, 0x04), 0xffff, 2);
    expect(b.read(b.cfg(NIC, 0x04), 2)).toBe(0x0507);
    expect(b.read(b.cfg(NIC, 0x100))).toBe(0xffffffff); // a conventional function: 256 bytes
  });

  it('legacy: a transmitted frame is consumed, INTx is SPI 4 until the ISR is read; the control queue answers as QEMU', () => {
    const board = new VirtBoard({ ramSize: 1 << 24, console: silent, nics: [{}] });
    const b = bus(board);
    assign(b);
    expect(b.read(b.io(IO_BAR + 0))).toBe(0x79bf8064);
    expect(Array.from({ length: 8 }, (_, i) => b.read(b.io(IO_BAR + 20 + i), 1))).toEqual([0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x01, 0x00]);
    b.write(b.io(IO_BAR + 18), 0, 1);
    b.write(b.io(IO_BAR + 18), 3, 1);
    b.write(b.io(IO_BAR + 4), (1 << 5) | (1 << 16) | (1 << 17) | (1 << 19));
    const tx = legacyQueue(board, b, 1, RAM + 0x10000);
    const ctrl = legacyQueue(board, b, 2, RAM + 0x20000);
    expect([tx.num, ctrl.num]).toEqual([256, 64]);
    b.write(b.io(IO_BAR + 18), 7, 1);
    tx.post([[RAM + 0x30000, 10 + 60, false]]);
    expect(tx.usedIdx()).toBe(1);
    expect(tx.usedLen(0)).toBe(0);
    expect(board.gic.state.isPending(32 + 4)).toBe(true);
    expect(b.read(b.cfg(NIC, 0x06), 2) & 0x08).toBe(0x08);
    expect(b.read(b.io(IO_BAR + 19), 1)).toBe(1);
    expect(board.gic.state.isPending(32 + 4)).toBe(false);
    expect(b.read(b.io(IO_BAR + 19), 1)).toBe(0);
    // VLAN ADD 5 (class 2, command 0): OK; an unknown class: ERR.
    const v = board.phys.view;
    v.setUint16(0x31000, 0x0002, true);
    v.setUint16(0x31002, 5, true);
    v.setUint8(0x31010, 0xaa);
    ctrl.post([[RAM + 0x31000, 2, false], [RAM + 0x31002, 2, false], [RAM + 0x31010, 1, true]]);
    expect([ctrl.usedIdx(), ctrl.usedLen(0), v.getUint8(0x31010)]).toEqual([1, 1, 0]);
    v.setUint16(0x31020, 0x0009, true);
    ctrl.post([[RAM + 0x31020, 2, false], [RAM + 0x31030, 1, true]]);
    expect(v.getUint8(0x31030)).toBe(1);
    expect(board.nics[0].device.name).toBe('virtio-net');
  });

  it('MSI-X through the GICv2m frame: the vector pulses its SPI', () => {
    const board = new VirtBoard({ ramSize: 1 << 24, console: silent, nics: [{}] });
    const b = bus(board);
    assign(b);
    const spi = 80 + 5;
    b.write(0x0800_0c00 + Math.floor(spi / 16) * 4, 2 << (2 * (spi % 16))); // edge-triggered, as Linux sets MSI SPIs
    expect(b.read(0x0802_0008)).toBe((80 << 16) | 64);
    b.write(b.cfg(NIC, 0x98 + 2), 0x8000, 2); // MSI-X enable
    b.write(MSIX_BAR + 0, 0x0802_0040);
    b.write(MSIX_BAR + 4, 0);
    b.write(MSIX_BAR + 8, spi);
    b.write(MSIX_BAR + 12, 0);
    b.write(b.io(IO_BAR + 18), 3, 1);
    b.write(b.io(IO_BAR + 14), 1, 2);
    b.write(b.io(IO_BAR + 22), 0, 2); // queue vector (the legacy layout moves by 4 bytes with MSI-X on)
    expect(b.read(b.io(IO_BAR + 22), 2)).toBe(0);
    b.write(b.io(IO_BAR + 22), 9, 2);
    expect(b.read(b.io(IO_BAR + 22), 2)).toBe(0xffff); // beyond the 4 vectors: VIRTIO_NO_VECTOR
    b.write(b.io(IO_BAR + 22), 0, 2);
    const tx = legacyQueue(board, b, 1, RAM + 0x10000);
    tx.post([[RAM + 0x30000, 70, false]]);
    expect(board.gic.state.isPending(spi)).toBe(true);
    expect(board.gic.state.isPending(32 + 4)).toBe(false);
  });

  it('GICv3: an MSI to GITS_TRANSLATER finds its LPI through tables in guest memory, in QEMU\'s entry formats', () => {
    const board = new VirtBoard({ ramSize: 1 << 24, console: silent, nics: [{}], gicVersion: 3 });
    const b = bus(board);
    const v = board.phys.view;
    const dt = RAM + 0x100000;
    const ct = RAM + 0x110000;
    const queue = RAM + 0x120000;
    const itt = RAM + 0x130000;
    b.write(ITS_BASE + 0x100, (dt & 0xffff0000) | (2 << 8)); // 64 KiB pages, one page
    b.write(ITS_BASE + 0x104, 0x80000000 | (b.read(ITS_BASE + 0x104) & 0x07ff0000));
    b.write(ITS_BASE + 0x108, (ct & 0xffff0000) | (2 << 8));
    b.write(ITS_BASE + 0x10c, 0x80000000 | (b.read(ITS_BASE + 0x10c) & 0x07ff0000));
    b.write(ITS_BASE + 0x80, queue);
    b.write(ITS_BASE + 0x84, 0x80000000);
    b.write(ITS_BASE + 0x00, 1);
    // Commands as eight 32-bit words each (dword n = words 2n, 2n+1).
    const cmds: number[][] = [
      [0x08, NIC, 4, 0, itt, 0x8000_0000, 0, 0], // MAPD 8, 5 EventID bits, valid
      [0x09, 0, 0, 0, 3, 0x8000_0000, 0, 0], // MAPC ICID 3 -> CPU 0 (RDbase 0), valid
      [0x0a, NIC, 2, 8200, 3, 0, 0, 0], // MAPTI 8/2 -> LPI 8200, ICID 3
    ];
    cmds.forEach((c, k) => c.forEach((w, i) => v.setUint32(queue - RAM + 32 * k + 4 * i, w >>> 0, true)));
    b.write(ITS_BASE + 0x88, 32 * cmds.length);
    expect(b.read(ITS_BASE + 0x90)).toBe(32 * cmds.length);
    // Device table entry 8: valid, size 4, ITT address >> 8 at bit 6.
    const dte = v.getUint32(dt - RAM + 8 * NIC, true) + v.getUint32(dt - RAM + 8 * NIC + 4, true) * 2 ** 32;
    expect(dte).toBe(1 + 4 * 2 + (itt / 256) * 64);
    expect(v.getUint32(ct - RAM + 8 * 3, true)).toBe(1); // valid, processor 0
    expect([v.getUint32(itt - RAM + 24, true), v.getUint32(itt - RAM + 28, true), v.getUint32(itt - RAM + 32, true)]).toEqual([(1 | 2 | (8200 << 2)) >>> 0, 3, 1023]);
    // The NIC's vector 0 targets the translater with EventID 2.
    assign(b);
    b.write(b.cfg(NIC, 0x98 + 2), 0x8000, 2);
    b.write(MSIX_BAR + 0, ITS_BASE + 0x10040);
    b.write(MSIX_BAR + 8, 2);
    b.write(MSIX_BAR + 12, 0);
    b.write(b.io(IO_BAR + 18), 3, 1);
    b.write(b.io(IO_BAR + 14), 1, 2);
    b.write(b.io(IO_BAR + 22), 0, 2);
    const tx = legacyQueue(board, b, 1, RAM + 0x10000);
    const pending = RAM + 0x140000;
    b.write(0x080a_0000 + 0x78, pending); // GICR_PENDBASER of CPU 0
    expect((board.gic as GicV3).lpis.isPending(8200, 0)).toBe(false);
    tx.post([[RAM + 0x30000, 70, false]]);
    expect((board.gic as GicV3).lpis.isPending(8200, 0)).toBe(true);
    // The pending table in guest memory has the LPI's bit.
    expect(v.getUint8(pending - RAM + (8200 >> 3))).toBe(1 << (8200 & 7));
    // A CPU's write to the translater comes from DeviceID 0, which is not mapped.
    b.write(ITS_BASE + 0x10040, 2);
  });

  it('takes QEMU\'s network spellings', () => {
    const nics = (...a: string[]) => boardNics(parseBootArgs([...a, 'x.elf']).net).map((n) => (n.mac ? Buffer.from(n.mac).toString('hex') : 'default'));
    expect(nics()).toEqual(['default']);
    expect(nics('-nic', 'none')).toEqual([]);
    expect(nics('-nodefaults')).toEqual([]);
    expect(nics('-nic', 'user,model=virtio-net-pci,mac=52:54:00:aa:bb:cc')).toEqual(['525400aabbcc']);
    expect(nics('-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0')).toEqual(['default']);
    expect(() => parseBootArgs(['-nic', 'tap', 'x.elf'])).toThrow(/only the user backend/);
    expect(() => parseBootArgs(['-nic', 'user,model=e1000', 'x.elf'])).toThrow(/only virtio-net-pci/);
    expect(() => parseBootArgs(['-device', 'virtio-net-pci,netdev=nope', 'x.elf'])).toThrow(/no -netdev/);
  });
});
