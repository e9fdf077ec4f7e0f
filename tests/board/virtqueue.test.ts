// The split virtqueue with hand-built rings: chains, indirect tables, ring
// index wrap-around, event-index suppression, and malformed rings, which give
// a fault (the device turns broken as QEMU's virtio_error) and never throw.
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { MemoryBackend } from '../../board/virt/block-backend';
import { VirtioBlk } from '../../board/virt/virtio-blk';
import { VirtioMmioTransport } from '../../board/virt/virtio-mmio';
import { type Chain, DESC_F_INDIRECT, DESC_F_NEXT, DESC_F_WRITE, type QueueFault, Virtqueue } from '../../board/virt/virtqueue';

const RAM = 0x4000_0000;
const DESC = RAM + 0x1000;
const AVAIL = RAM + 0x2000;
const USED = RAM + 0x3000;
const NUM = 4;

function setup(num = NUM) {
  const phys = new PhysicalMemory(RAM, 1 << 20);
  const q = new Virtqueue(phys, num);
  q.descAddr = DESC;
  q.availAddr = AVAIL;
  q.usedAddr = USED;
  const v = phys.view;
  const o = (pa: number) => pa - RAM;
  const desc = (i: number, addr: number, len: number, flags: number, next = 0, table = DESC) => {
    v.setUint32(o(table + 16 * i), addr % 2 ** 32, true);
    v.setUint32(o(table + 16 * i) + 4, Math.floor(addr / 2 ** 32), true);
    v.setUint32(o(table + 16 * i) + 8, len, true);
    v.setUint16(o(table + 16 * i) + 12, flags, true);
    v.setUint16(o(table + 16 * i) + 14, next, true);
  };
  let availIdx = 0;
  const offer = (head: number) => {
    v.setUint16(o(AVAIL + 4 + 2 * (availIdx % num)), head, true);
    availIdx = (availIdx + 1) & 0xffff;
    v.setUint16(o(AVAIL + 2), availIdx, true);
  };
  const usedIdx = () => v.getUint16(o(USED + 2), true);
  const usedElem = (k: number) => [v.getUint32(o(USED + 4 + 8 * (k % num)), true), v.getUint32(o(USED + 8 + 8 * (k % num)), true)];
  return { phys, q, v, o, desc, offer, usedIdx, usedElem };
}

const isFault = (c: Chain | QueueFault | null): c is QueueFault => c !== null && 'fault' in c;

describe('split virtqueue', () => {
  it('pops a chain of readable then writable buffers and pushes it to the used ring', () => {
    const t = setup();
    t.desc(2, RAM + 0x8000, 16, DESC_F_NEXT, 0);
    t.desc(0, RAM + 0x9000, 100, DESC_F_NEXT | DESC_F_WRITE, 3);
    t.desc(3, RAM + 0xa000, 1, DESC_F_WRITE);
    t.offer(2);
    const c = t.q.pop() as Chain;
    expect(c.head).toBe(2);
    expect(c.readable).toEqual([{ addr: RAM + 0x8000, len: 16 }]);
    expect(c.writable).toEqual([{ addr: RAM + 0x9000, len: 100 }, { addr: RAM + 0xa000, len: 1 }]);
    expect(t.q.pop()).toBeNull();
    expect(t.q.push(2, 101)).toBe(true);
    expect(t.usedIdx()).toBe(1);
    expect(t.usedElem(0)).toEqual([2, 101]);
  });

  it('follows an indirect table', () => {
    const t = setup();
    const table = RAM + 0x5000;
    t.desc(0, RAM + 0x8000, 16, DESC_F_NEXT, 2, table);
    t.desc(2, RAM + 0x9000, 512, DESC_F_NEXT | DESC_F_WRITE, 1, table);
    t.desc(1, RAM + 0xa000, 1, DESC_F_WRITE, 0, table);
    t.desc(1, table, 48, DESC_F_INDIRECT);
    t.offer(1);
    const c = t.q.pop() as Chain;
    expect(c.head).toBe(1);
    expect(c.readable.map((s) => s.len)).toEqual([16]);
    expect(c.writable.map((s) => s.len)).toEqual([512, 1]);
  });

  it('wraps the ring slots and the 16-bit indices', () => {
    const t = setup();
    t.desc(0, RAM + 0x8000, 8, DESC_F_WRITE);
    let wrong = 0;
    for (let k = 0; k < 65536 + 10; k++) {
      t.offer(0);
      const c = t.q.pop() as Chain;
      if (c.head !== 0 || c.writable.length !== 1) wrong++;
      t.q.push(0, k & 0xff);
    }
    expect(wrong).toBe(0);
    expect(t.usedIdx()).toBe(10);
    expect(t.usedElem(9)).toEqual([0, (65536 + 9) & 0xff]);
    expect(t.q.pop()).toBeNull();
  });

  it('with event index: writes avail_event and interrupts only when used_event is crossed', () => {
    const t = setup();
    t.q.eventIdx = true;
    t.desc(0, RAM + 0x8000, 8, DESC_F_WRITE);
    const usedEvent = (v: number) => t.v.setUint16(t.o(AVAIL + 4 + 2 * NUM), v, true);
    usedEvent(0);
    t.offer(0);
    t.q.pop();
    expect(t.v.getUint16(t.o(USED + 4 + 8 * NUM), true)).toBe(1);
    t.q.push(0, 0);
    expect(t.q.shouldNotify()).toBe(true); // first one always
    usedEvent(5);
    t.offer(0);
    t.q.pop();
    t.q.push(0, 0);
    expect(t.q.shouldNotify()).toBe(false); // used idx 2, the driver waits for 6
    usedEvent(1);
    t.offer(0);
    t.q.pop();
    t.q.push(0, 0);
    expect(t.q.shouldNotify()).toBe(false); // used_event 1 lies before the last signalled index 2
    usedEvent(3);
    t.offer(0);
    t.q.pop();
    t.q.push(0, 0);
    expect(t.q.shouldNotify()).toBe(true); // used idx moved from 3 to 4, past used_event 3
  });

  it('without event index: VRING_AVAIL_F_NO_INTERRUPT suppresses interrupts', () => {
    const t = setup();
    t.v.setUint16(t.o(AVAIL), 1, true);
    expect(t.q.shouldNotify()).toBe(false);
    t.v.setUint16(t.o(AVAIL), 0, true);
    expect(t.q.shouldNotify()).toBe(true);
  });
});

describe('malformed rings give a fault, never an exception', () => {
  const cases: Array<[string, (t: ReturnType<typeof setup>) => void, RegExp]> = [
    ['a descriptor loop', (t) => (t.desc(0, RAM + 0x8000, 8, DESC_F_NEXT, 1), t.desc(1, RAM + 0x8000, 8, DESC_F_NEXT, 0), t.offer(0)), /loop/],
    ['a buffer outside RAM', (t) => (t.desc(0, 0x1000, 8, 0), t.offer(0)), /outside RAM/],
    ['a buffer running past the end of RAM', (t) => (t.desc(0, RAM + (1 << 20) - 4, 8, 0), t.offer(0)), /outside RAM/],
    ['a 64-bit address', (t) => (t.desc(0, 2 ** 40 + RAM, 8, 0), t.offer(0)), /outside RAM/],
    ['a head index beyond the ring', (t) => t.offer(7), /index 7/],
    ['a next index beyond the ring', (t) => (t.desc(0, RAM + 0x8000, 8, DESC_F_NEXT, 9), t.offer(0)), /next 9/],
    ['a zero-length buffer', (t) => (t.desc(0, RAM + 0x8000, 0, 0), t.offer(0)), /zero/],
    ['a readable buffer after a writable one', (t) => (t.desc(0, RAM + 0x8000, 8, DESC_F_NEXT | DESC_F_WRITE, 1), t.desc(1, RAM + 0x8000, 8, 0), t.offer(0)), /after a writable/],
    ['an indirect table of 20 bytes', (t) => (t.desc(0, RAM + 0x5000, 20, DESC_F_INDIRECT), t.offer(0)), /indirect/],
    ['an indirect table outside RAM', (t) => (t.desc(0, 0x2000, 32, DESC_F_INDIRECT), t.offer(0)), /outside RAM/],
    ['a nested indirect descriptor', (t) => (t.desc(0, RAM + 0x5000, 16, DESC_F_INDIRECT), t.desc(0, RAM + 0x6000, 16, DESC_F_INDIRECT, 0, RAM + 0x5000), t.offer(0)), /nested/],
    ['an indirect loop', (t) => (t.desc(0, RAM + 0x5000, 32, DESC_F_INDIRECT), t.desc(0, RAM + 0x8000, 8, DESC_F_NEXT, 1, RAM + 0x5000), t.desc(1, RAM + 0x8000, 8, DESC_F_NEXT, 0, RAM + 0x5000), t.offer(0)), /loop/],
    ['an available index moved too far', (t) => t.v.setUint16(t.o(AVAIL + 2), NUM + 1, true), /available index/],
  ];
  for (const [what, build, message] of cases) {
    it(what, () => {
      const t = setup();
      build(t);
      const c = t.q.pop();
      expect(isFault(c) ? c.fault : c).toMatch(message);
    });
  }

  it('rings placed outside RAM', () => {
    const t = setup();
    t.q.availAddr = 0x100;
    expect(() => t.q.pop()).not.toThrow();
    expect(isFault(t.q.pop())).toBe(true);
  });
});

/** A virtio-blk transport driven through its registers, as a driver would. */
function transport(legacy: boolean) {
  const phys = new PhysicalMemory(RAM, 1 << 20);
  const disk = new MemoryBackend(new Uint8Array(64 * 512).fill(0x5a));
  const t = new VirtioMmioTransport(phys, new VirtioBlk(disk), legacy, 31);
  const irq: boolean[] = [];
  t.irq = (l) => irq.push(l);
  const w = (off: number, v: number) => t.write(off, 4, v);
  w(0x70, 1);
  w(0x70, 3);
  if (legacy) {
    w(0x20, 0);
    w(0x28, 4096);
    w(0x30, 0);
    w(0x38, NUM);
    w(0x3c, 4096);
    w(0x40, DESC / 4096);
  } else {
    w(0x24, 1);
    w(0x20, 1); // VERSION_1
    w(0x70, 3 | 8);
    w(0x30, 0);
    w(0x38, NUM);
    w(0x80, DESC);
    w(0x90, AVAIL);
    w(0xa0, USED);
    w(0x44, 1);
  }
  w(0x70, legacy ? 7 : 15);
  return { phys, t, irq, disk, w };
}

describe('the transport with a malformed ring', () => {
  for (const legacy of [true, false]) {
    it(`${legacy ? 'legacy' : 'modern'}: the device turns broken${legacy ? '' : ', sets NEEDS_RESET and raises a configuration interrupt'}; a reset repairs it`, () => {
      const { phys, t, irq, w } = transport(legacy);
      const usedAddr = legacy ? DESC + 4096 : USED;
      const v = phys.view;
      const availAddr = legacy ? DESC + 16 * NUM : AVAIL;
      // Descriptor 0 loops onto itself.
      v.setUint32(DESC - RAM, RAM + 0x8000, true);
      v.setUint32(DESC - RAM + 4, 0, true);
      v.setUint32(DESC - RAM + 8, 16, true);
      v.setUint16(DESC - RAM + 12, DESC_F_NEXT, true);
      v.setUint16(DESC - RAM + 14, 0, true);
      v.setUint16(availAddr - RAM + 4, 0, true);
      v.setUint16(availAddr - RAM + 2, 1, true);
      expect(() => w(0x50, 0)).not.toThrow();
      expect(t.broken).toMatch(/loop/);
      expect(v.getUint16(usedAddr - RAM + 2, true)).toBe(0);
      expect(t.read(0x70, 4)).toBe(legacy ? 7 : 15 | 0x40);
      expect(t.read(0x60, 4)).toBe(legacy ? 0 : 2);
      expect(irq).toEqual(legacy ? [] : [true]);
      w(0x70, 0);
      expect(t.broken).toBeUndefined();
      expect(t.read(0x70, 4)).toBe(0);
      expect(t.read(0x60, 4)).toBe(0);
    });
  }

  it('a request with no status buffer breaks the device; one with a bad sector gets IOERR', () => {
    const { phys, t, w } = transport(false);
    const v = phys.view;
    const hdr = 0x8000;
    const put = (i: number, addr: number, len: number, flags: number, next: number) => {
      v.setUint32(DESC - RAM + 16 * i, RAM + addr, true);
      v.setUint32(DESC - RAM + 16 * i + 4, 0, true);
      v.setUint32(DESC - RAM + 16 * i + 8, len, true);
      v.setUint16(DESC - RAM + 16 * i + 12, flags, true);
      v.setUint16(DESC - RAM + 16 * i + 14, next, true);
    };
    v.setUint32(hdr, 0, true); // IN
    v.setUint32(hdr + 8, 64, true); // sector 64 of 64: past the end
    put(0, hdr, 16, DESC_F_NEXT, 1);
    put(1, 0x9000, 512, DESC_F_NEXT | DESC_F_WRITE, 2);
    put(2, 0xa000, 1, DESC_F_WRITE, 0);
    v.setUint16(AVAIL - RAM + 4, 0, true);
    v.setUint16(AVAIL - RAM + 2, 1, true);
    w(0x50, 0);
    expect(phys.bytes[0xa000]).toBe(1);
    expect(v.getUint32(USED - RAM + 8, true)).toBe(513);
    expect(t.broken).toBeUndefined();
    put(0, hdr, 16, 0, 0); // no writable part
    v.setUint16(AVAIL - RAM + 6, 0, true);
    v.setUint16(AVAIL - RAM + 2, 2, true);
    w(0x50, 0);
    expect(t.broken).toMatch(/missing headers/);
  });

  it('a read-only disk offers VIRTIO_BLK_F_RO and fails writes with IOERR, the disk untouched', () => {
    const phys = new PhysicalMemory(RAM, 1 << 20);
    const disk = new MemoryBackend(new Uint8Array(8 * 512).fill(0x5a), true);
    const t = new VirtioMmioTransport(phys, new VirtioBlk(disk), false, 31);
    t.write(0x14, 4, 0);
    expect((t.read(0x10, 4) >>> 5) & 1).toBe(1);
    const w = (off: number, v: number) => t.write(off, 4, v);
    [[0x70, 1], [0x70, 3], [0x24, 1], [0x20, 1], [0x70, 11], [0x38, NUM], [0x80, DESC], [0x90, AVAIL], [0xa0, USED], [0x44, 1], [0x70, 15]].forEach(([o, v]) => w(o, v));
    const v = phys.view;
    const put = (i: number, addr: number, len: number, flags: number, next: number) => {
      v.setUint32(DESC - RAM + 16 * i, RAM + addr, true);
      v.setUint32(DESC - RAM + 16 * i + 8, len, true);
      v.setUint16(DESC - RAM + 16 * i + 12, flags, true);
      v.setUint16(DESC - RAM + 16 * i + 14, next, true);
    };
    v.setUint32(0x8000, 1, true); // OUT, sector 0
    put(0, 0x8000, 16, DESC_F_NEXT, 1);
    put(1, 0x9000, 512, DESC_F_NEXT, 2);
    put(2, 0xa000, 1, DESC_F_WRITE, 0);
    v.setUint16(AVAIL - RAM + 2, 1, true);
    w(0x50, 0);
    expect(phys.bytes[0xa000]).toBe(1);
    expect(disk.bytes.every((b) => b === 0x5a)).toBe(true);
  });

  it('an empty slot reads magic, version and vendor, 0 elsewhere, and ignores writes', () => {
    const phys = new PhysicalMemory(RAM, 1 << 20);
    const t = new VirtioMmioTransport(phys, undefined, true, 0);
    expect([0, 4, 8, 0xc, 0x34, 0x100].map((o) => t.read(o, 4))).toEqual([0x74726976, 1, 0, 0x554d4551, 0, 0]);
    expect(() => t.write(0x50, 4, 0)).not.toThrow();
  });
});
