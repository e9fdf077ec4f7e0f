// QEMU 7.2's virtio-pci transport for a transitional device on the root bus
// (a conventional PCI function, as QEMU makes a virtio device plugged straight
// into the virt board's PCIe root bus): device ID 0x1000 + n, the legacy
// registers in an I/O BAR (0), the MSI-X table in BAR 1, and the modern
// regions (common configuration, ISR, device configuration, notifications,
// 4 KiB each) in a 64-bit prefetchable BAR (4) named by vendor-specific
// capabilities, plus the PCI-configuration-access capability. Registers answer
// as QEMU's: a legacy read at an offset that is no register reads all ones; a
// common-configuration read at an offset that is no register reads 0; queue
// vectors beyond the MSI-X table read VIRTIO_NO_VECTOR. The interrupt is INTx
// (level = ISR bit 0) until the driver enables MSI-X.

import type { MmioDevice, PhysicalMemory } from '../memory/physical-memory';
import { type MsiWrite, MSIX_BAR_SIZE, MsixTable } from './msix-table';
import { CMD_MASTER, PciFunction, PCI_COMMAND } from './pci-function';
import type { PciEndpoint } from './pcie-host';
import { F_EVENT_IDX, F_NOTIFY_ON_EMPTY, type Features, hasFeature, type VirtioDevice } from './virtio-device';
import { Virtqueue } from './virtqueue';
import { serveQueue, type QueueTransport } from './queue-service';

const QUEUE_MAX = 1024;
const NO_VECTOR = 0xffff;
const STATUS_DRIVER_OK = 4;
const STATUS_NEEDS_RESET = 0x40;
const ISR_USED = 1;
const ISR_CONFIG = 2;
const LEGACY_ALIGN = 4096;
const MODERN_BAR = 4;
const MODERN_BAR_SIZE = 0x4000;
const REGION = 0x1000;
const NOTIFY_MULTIPLIER = 4;
const CFG_TYPE = { common: 1, notify: 2, isr: 3, device: 4, pci: 5 } as const;

/** The BAR sizes and device-specific facts a transport needs from its device. */
export interface VirtioPciDevice extends VirtioDevice {
  /** Feature bits only a legacy driver sees (QEMU's legacy_features plus the transport's legacy-only bits). */
  readonly legacyOnly: Features;
  /** MSI-X vectors (QEMU's `vectors` property). */
  readonly vectors: number;
  /** PCI class code 0xCCSSPP. */
  readonly classCode: number;
  /** Expansion ROM size (QEMU's romfile, rounded up to a power of two), 0 for none. */
  readonly romSize: number;
}

interface ModernQueue {
  num: number;
  enabled: boolean;
  desc: [number, number];
  avail: [number, number];
  used: [number, number];
}

const newModernQueue = (): ModernQueue => ({ num: 0, enabled: false, desc: [0, 0], avail: [0, 0], used: [0, 0] });
const addr64 = (p: [number, number]) => p[0] + p[1] * 4294967296;
const ones = (size: number) => (size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff);

export class VirtioPciTransport implements PciEndpoint {
  readonly fn: PciFunction;
  readonly msix: MsixTable;
  intx?: (level: boolean) => void;
  broken: string | undefined;
  private readonly queues: Virtqueue[];
  private readonly modern: ModernQueue[];
  private readonly queueVector: number[];
  private configVector = NO_VECTOR;
  private status = 0;
  private isr = 0;
  private queueSel = 0;
  private accepted: Features = [0, 0];
  private dfselect = 0;
  private gfselect = 0;
  private readonly gf: [number, number] = [0, 0];
  private readonly cfgCap: number;

  constructor(
    private readonly phys: PhysicalMemory,
    readonly device: VirtioPciDevice,
    send: MsiWrite,
  ) {
    this.fn = new PciFunction(`virtio-pci (${device.name})`, {
      vendor: 0x1af4,
      device: 0x1000 + device.deviceId - 1,
      revision: 0,
      classCode: device.classCode,
      subsystemVendor: 0x1af4,
      subsystem: device.deviceId,
      interruptPin: 1,
    });
    this.queues = device.queueSizes.map((n) => new Virtqueue(phys, n));
    this.modern = device.queueSizes.map(newModernQueue);
    this.queueVector = device.queueSizes.map(() => NO_VECTOR);
    const legacySize = 2 ** Math.ceil(Math.log2(24 + device.config.length));
    this.fn.addBar({ index: 0, size: legacySize, kind: 'io', region: this.legacyRegion() });
    this.fn.addBar({ index: 1, size: MSIX_BAR_SIZE, kind: 'mem32', region: { name: 'msix', read: (o, s) => this.msix.read(o, s), write: (o, s, v) => this.msix.write(o, s, v) } });
    this.fn.addBar({ index: MODERN_BAR, size: MODERN_BAR_SIZE, kind: 'mem64-pref', region: this.modernRegion() });
    if (device.romSize > 0) this.fn.addRom(device.romSize, { name: 'rom', read: () => 0, write: () => undefined });
    for (const [type, at] of [
      [CFG_TYPE.common, 0],
      [CFG_TYPE.isr, REGION],
      [CFG_TYPE.device, 2 * REGION],
    ] as const)
      this.fn.addCapability(this.virtioCap(16, type, MODERN_BAR, at, REGION));
    const notify = this.virtioCap(20, CFG_TYPE.notify, MODERN_BAR, 3 * REGION, REGION);
    notify[16] = NOTIFY_MULTIPLIER;
    this.fn.addCapability(notify);
    this.cfgCap = this.fn.addCapability(this.virtioCap(20, CFG_TYPE.pci, 0, 0, 0));
    this.fn.writable(this.cfgCap + 4, 0xff, 1);
    this.fn.writable(this.cfgCap + 8, 0xffffffff, 4);
    this.fn.writable(this.cfgCap + 12, 0xffffffff, 4);
    this.fn.writable(this.cfgCap + 16, 0xffffffff, 4);
    this.msix = new MsixTable(this.fn, device.vectors, 1, send);
    this.fn.onConfigWrite = (offset, size) => this.configWritten(offset, size);
    this.fn.onConfigRead = (offset, size) => this.configRead(offset, size);
    device.attachKick?.((index) => this.notify(index));
  }

  private virtioCap(len: number, type: number, bar: number, offset: number, length: number): Uint8Array {
    const c = new Uint8Array(len);
    const v = new DataView(c.buffer);
    c[0] = 0x09;
    c[2] = len;
    c[3] = type;
    c[4] = bar;
    v.setUint32(8, offset, true);
    v.setUint32(12, length, true);
    return c;
  }

  /** QEMU's virtio_write_config: bus mastering off stops the driver; the MSI-X capability may release messages; the cfg window writes through. */
  private configWritten(offset: number, size: number): void {
    if (offset <= PCI_COMMAND && offset + size > PCI_COMMAND && (this.fn.command & CMD_MASTER) === 0) this.status &= ~STATUS_DRIVER_OK;
    this.msix.update();
    this.updateIntx();
    const data = this.cfgCap + 16;
    if (offset < data + 4 && offset + size > data) this.cfgWindow(true);
  }

  /** Before a read of the configuration space: the cfg capability's data window reads the modern BAR. */
  private configRead(offset: number, size: number): void {
    const data = this.cfgCap + 16;
    if (offset < data + 4 && offset + size > data) this.cfgWindow(false);
  }

  private cfgWindow(write: boolean): void {
    const c = this.fn;
    const bar = c.config[this.cfgCap + 4];
    const off = c.get32(this.cfgCap + 8);
    const len = c.get32(this.cfgCap + 12);
    if (bar !== MODERN_BAR || (len !== 1 && len !== 2 && len !== 4) || off + len > MODERN_BAR_SIZE) return;
    const region = this.modernRegion();
    if (write) region.write(off, len, c.get32(this.cfgCap + 16) & (len === 4 ? 0xffffffff : len === 2 ? 0xffff : 0xff));
    else c.set32(this.cfgCap + 16, region.read(off, len));
  }

  // ---- the legacy registers (I/O BAR 0) ----

  private get legacyConfigOffset(): number {
    return this.msix.enabled ? 24 : 20;
  }

  private legacyRegion(): MmioDevice {
    return {
      name: 'virtio-pci-legacy',
      read: (offset, size) => {
        const at = this.legacyConfigOffset;
        if (offset >= at) return this.readDeviceConfig(offset - at, size);
        return this.legacyRead(offset) & ones(size);
      },
      write: (offset, size, value) => {
        const at = this.legacyConfigOffset;
        if (offset >= at) this.device.writeConfig?.(offset - at, size, value);
        else this.legacyWrite(offset, value & ones(size));
      },
    };
  }

  private legacyRead(offset: number): number {
    const q = this.queueSel < this.queues.length ? this.queues[this.queueSel] : undefined;
    switch (offset) {
      case 0:
        return this.device.features(true)[0];
      case 4:
        return this.accepted[0];
      case 8:
        return q === undefined ? 0 : Math.floor(q.descAddr / LEGACY_ALIGN) >>> 0;
      case 12:
        return q?.num ?? 0;
      case 14:
        return this.queueSel;
      case 18:
        return this.status;
      case 19:
        return this.readIsr();
      case 20:
        return this.configVector;
      case 22:
        return this.queueVector[this.queueSel] ?? NO_VECTOR;
      default:
        return 0xffffffff;
    }
  }

  private legacyWrite(offset: number, value: number): void {
    const q = this.queueSel < this.queues.length ? this.queues[this.queueSel] : undefined;
    switch (offset) {
      case 4:
        this.setFeatures([value >>> 0, 0], true);
        break;
      case 8:
        if (value === 0) this.reset();
        else q?.setLegacyRings(value * LEGACY_ALIGN, LEGACY_ALIGN);
        break;
      case 14:
        if (value < QUEUE_MAX) this.queueSel = value;
        break;
      case 16:
        if (value < QUEUE_MAX) this.notify(value);
        break;
      case 18:
        this.writeStatus(value & 0xff);
        // QEMU turns bus mastering on for drivers that forget it (ACKNOWLEDGE | DRIVER).
        if (value === 3) this.fn.config[PCI_COMMAND] |= CMD_MASTER;
        break;
      case 20:
        this.configVector = this.vector(value);
        break;
      case 22:
        if (this.queueSel < this.queueVector.length) this.queueVector[this.queueSel] = this.vector(value);
        break;
    }
  }

  private vector(value: number): number {
    return value < this.device.vectors ? value : NO_VECTOR;
  }

  // ---- the modern regions (BAR 4) ----

  private modernRegion(): MmioDevice {
    return {
      name: 'virtio-pci-modern',
      read: (offset, size) => {
        const at = offset & (REGION - 1);
        switch (offset >>> 12) {
          case 0:
            return this.commonRead(at) & ones(size);
          case 1:
            return this.readIsr() & ones(size);
          case 2:
            return this.readDeviceConfig(at, size);
          default:
            return 0;
        }
      },
      write: (offset, size, value) => {
        const at = offset & (REGION - 1);
        switch (offset >>> 12) {
          case 0:
            this.commonWrite(at, value & ones(size));
            break;
          case 2:
            this.device.writeConfig?.(at, size, value);
            break;
          case 3:
            if (at / NOTIFY_MULTIPLIER < QUEUE_MAX) this.notify(Math.floor(at / NOTIFY_MULTIPLIER));
            break;
        }
      },
    };
  }

  private commonRead(at: number): number {
    const sel = this.queueSel;
    const m = sel < this.modern.length ? this.modern[sel] : undefined;
    switch (at) {
      case 0x00:
        return this.dfselect;
      case 0x04: {
        if (this.dfselect > 1) return 0;
        const f = this.device.features(false);
        return (f[this.dfselect] & ~this.device.legacyOnly[this.dfselect]) >>> 0;
      }
      case 0x08:
        return this.gfselect;
      case 0x0c:
        return this.gfselect < 2 ? this.gf[this.gfselect] : 0;
      case 0x10:
        return this.configVector;
      case 0x12:
        return this.queues.length;
      case 0x14:
        return this.status;
      case 0x15:
        return 0; // config generation
      case 0x16:
        return sel;
      case 0x18:
        return sel < this.queues.length ? this.queues[sel].num : 0;
      case 0x1a:
        return this.queueVector[sel] ?? NO_VECTOR;
      case 0x1c:
        return m?.enabled ? 1 : 0;
      case 0x1e:
        return sel;
      case 0x20:
      case 0x24:
      case 0x28:
      case 0x2c:
      case 0x30:
      case 0x34:
        return m === undefined ? 0 : this.ringWord(m, at);
      default:
        return 0;
    }
  }

  private ringWord(m: ModernQueue, at: number): number {
    const pair = at < 0x28 ? m.desc : at < 0x30 ? m.avail : m.used;
    return pair[(at >>> 2) & 1];
  }

  private commonWrite(at: number, value: number): void {
    const sel = this.queueSel;
    const q = sel < this.queues.length ? this.queues[sel] : undefined;
    const m = sel < this.modern.length ? this.modern[sel] : undefined;
    switch (at) {
      case 0x00:
        this.dfselect = value >>> 0;
        break;
      case 0x08:
        this.gfselect = value >>> 0;
        break;
      case 0x0c:
        if (this.gfselect < 2) {
          this.gf[this.gfselect] = value >>> 0;
          this.setFeatures(this.gf, false);
        }
        break;
      case 0x10:
        this.configVector = this.vector(value);
        break;
      case 0x14:
        this.writeStatus(value & 0xff);
        break;
      case 0x16:
        if (value < QUEUE_MAX) this.queueSel = value;
        break;
      case 0x18:
        if (m !== undefined && q !== undefined) {
          m.num = value;
          this.setNum(q, value);
        }
        break;
      case 0x1a:
        if (sel < this.queueVector.length) this.queueVector[sel] = this.vector(value);
        break;
      case 0x1c:
        if (m === undefined || q === undefined) break;
        if (value !== 1) {
          this.fail(`wrong value for queue_enable ${value.toString(16)}`);
          break;
        }
        this.setNum(q, m.num);
        q.descAddr = addr64(m.desc);
        q.availAddr = addr64(m.avail);
        q.usedAddr = addr64(m.used);
        m.enabled = true;
        break;
      case 0x20:
      case 0x24:
      case 0x28:
      case 0x2c:
      case 0x30:
      case 0x34:
        if (m !== undefined) (at < 0x28 ? m.desc : at < 0x30 ? m.avail : m.used)[(at >>> 2) & 1] = value >>> 0;
        break;
      case 0x3a:
        if (value === 1 && m !== undefined && q !== undefined) {
          q.reset();
          m.enabled = false;
        }
        break;
    }
  }

  /** QEMU keeps a queue existing or absent, and at most VIRTQUEUE_MAX_SIZE entries. */
  private setNum(q: Virtqueue, value: number): void {
    if ((value !== 0) !== (q.num !== 0) || value > QUEUE_MAX) return;
    q.num = value;
  }

  // ---- shared state ----

  private readDeviceConfig(off: number, size: number): number {
    const c = this.device.config;
    if (off + size > c.length) return ones(size);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + c[off + i];
    return v;
  }

  private readIsr(): number {
    const v = this.isr;
    this.isr = 0;
    this.updateIntx();
    return v;
  }

  private setFeatures(f: Features, legacy: boolean): void {
    const offered = this.device.features(legacy);
    this.accepted = [(f[0] & offered[0]) >>> 0, (f[1] & offered[1]) >>> 0];
    for (const q of this.queues) {
      q.eventIdx = hasFeature(this.accepted, F_EVENT_IDX);
      q.notifyOnEmpty = hasFeature(this.accepted, F_NOTIFY_ON_EMPTY);
    }
    this.device.setFeatures?.(this.accepted);
  }

  private writeStatus(value: number): void {
    this.status = value;
    if (value === 0) this.reset();
  }

  /** QEMU's virtio_pci_reset: the device, its queues and vectors, and the modern queue registers. */
  reset(): void {
    this.status = 0;
    this.isr = 0;
    this.queueSel = 0;
    this.accepted = [0, 0];
    this.broken = undefined;
    this.configVector = NO_VECTOR;
    this.queueVector.fill(NO_VECTOR);
    for (let i = 0; i < this.queues.length; i++) {
      this.queues[i].reset();
      this.modern[i] = newModernQueue();
    }
    this.device.reset?.();
    this.updateIntx();
  }

  private transport(): QueueTransport {
    return { phys: this.phys, isBroken: () => this.broken !== undefined, fail: (why) => this.fail(why) };
  }

  private notify(index: number): void {
    if (index >= this.queues.length) return;
    const q = this.queues[index];
    if (!q.configured || this.broken !== undefined) return;
    const pushed = serveQueue(this.transport(), this.device, index, q);
    if (pushed && q.shouldNotify()) this.raise(ISR_USED, this.queueVector[index]);
  }

  /** QEMU's virtio_error: no more requests; a modern driver sees NEEDS_RESET and a configuration interrupt. */
  private fail(why: string): void {
    if (this.broken !== undefined) return;
    this.broken = why;
    if (hasFeature(this.accepted, 32)) {
      this.status |= STATUS_NEEDS_RESET;
      this.raise(ISR_CONFIG, this.configVector);
    }
  }

  private raise(bit: number, vector: number): void {
    this.isr |= bit;
    if (this.msix.enabled) {
      if (vector !== NO_VECTOR) this.msix.notify(vector);
    } else this.updateIntx();
  }

  private updateIntx(): void {
    const level = !this.msix.enabled && (this.isr & 1) !== 0;
    this.intx?.(this.fn.setIntx(level));
  }
}
