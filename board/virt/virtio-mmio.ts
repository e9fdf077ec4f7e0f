// QEMU virt's virtio-mmio transports: 32 slots of 0x200 bytes from 0x0a000000,
// slot n on SPI 16 + n. Version 1 (legacy: GuestPageSize, QueuePFN) is QEMU
// 7.2's default (force-legacy=on); version 2 (modern) with force-legacy=off.
// An empty slot answers magic, version and vendor and reads 0 elsewhere
// (DeviceID 0), so a driver probing it skips it. Requests are handled when
// the driver writes QueueNotify; the interrupt line is high while
// InterruptStatus is nonzero.

import type { MmioDevice, PhysicalMemory } from '../memory/physical-memory';
import { cells, cells64, type DtNode, EMPTY, node, strings } from './flattened-device-tree';
import { type IrqLine, unconnected } from './irq-line';
import { F_EVENT_IDX, F_NOTIFY_ON_EMPTY, F_VERSION_1, type Features, hasFeature, type VirtioDevice } from './virtio-device';
import { Virtqueue } from './virtqueue';
import { serveQueue, type QueueTransport } from './queue-service';

export const VIRTIO_MMIO_BASE = 0x0a00_0000;
export const VIRTIO_MMIO_SIZE = 0x200;
export const VIRTIO_MMIO_COUNT = 32;
export const VIRTIO_MMIO_FIRST_SPI = 16;

const GIC_SPI = 0;
const IRQ_TYPE_EDGE_RISING = 1;
const MAGIC = 0x74726976; // "virt"
const VENDOR = 0x554d4551; // "QEMU"
/** VIRTQUEUE_MAX_SIZE: what QueueNumMax reads for every existing queue. */
const QUEUE_MAX = 1024;
const QUEUE_SEL_LIMIT = 1024;
const STATUS_FEATURES_OK = 8;
const STATUS_NEEDS_RESET = 0x40;
const ISR_USED = 1;
const ISR_CONFIG = 2;

const enum Reg {
  Magic = 0x000,
  Version = 0x004,
  DeviceId = 0x008,
  VendorId = 0x00c,
  DeviceFeatures = 0x010,
  DeviceFeaturesSel = 0x014,
  DriverFeatures = 0x020,
  DriverFeaturesSel = 0x024,
  GuestPageSize = 0x028,
  QueueSel = 0x030,
  QueueNumMax = 0x034,
  QueueNum = 0x038,
  QueueAlign = 0x03c,
  QueuePfn = 0x040,
  QueueReady = 0x044,
  QueueNotify = 0x050,
  InterruptStatus = 0x060,
  InterruptAck = 0x064,
  Status = 0x070,
  QueueDescLow = 0x080,
  QueueDescHigh = 0x084,
  QueueAvailLow = 0x090,
  QueueAvailHigh = 0x094,
  QueueUsedLow = 0x0a0,
  QueueUsedHigh = 0x0a4,
  ShmLenLow = 0x0b0,
  ShmLenHigh = 0x0b4,
  ConfigGeneration = 0x0fc,
  Config = 0x100,
}

/** The modern transport's per-queue registers, copied into the ring when QueueReady is written. */
interface ModernQueueRegs {
  num: number;
  ready: boolean;
  desc: [number, number];
  avail: [number, number];
  used: [number, number];
}

const newRegs = (): ModernQueueRegs => ({ num: 0, ready: false, desc: [0, 0], avail: [0, 0], used: [0, 0] });
const addr64 = (p: [number, number]) => p[0] + p[1] * 4294967296;

export class VirtioMmioTransport implements MmioDevice {
  readonly name: string;
  irq: IrqLine = unconnected;
  /** Set when a malformed ring or request was met (QEMU's vdev->broken); cleared by reset. */
  broken: string | undefined;
  private readonly queues: Virtqueue[];
  private readonly modern: ModernQueueRegs[];
  private status = 0;
  private isr = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures: [number, number] = [0, 0];
  private accepted: Features = [0, 0];
  private queueSel = 0;
  private pageShift = 0;
  private readonly align: number[];
  private level = false;

  constructor(
    private readonly phys: PhysicalMemory,
    readonly device: VirtioDevice | undefined,
    readonly legacy: boolean,
    slot: number,
  ) {
    this.name = `virtio-mmio.${slot}${device ? ` (${device.name})` : ''}`;
    const sizes = device?.queueSizes ?? [];
    this.queues = sizes.map((n) => new Virtqueue(phys, n));
    this.modern = sizes.map(newRegs);
    this.align = sizes.map(() => 4096);
  }

  read(offset: number, size: number): number {
    const d = this.device;
    if (d === undefined) {
      const v = offset === Reg.Magic ? MAGIC : offset === Reg.Version ? this.version : offset === Reg.VendorId ? VENDOR : 0;
      return size === 4 ? v : v & (size === 2 ? 0xffff : 0xff);
    }
    if (offset >= Reg.Config) return this.readConfig(d, offset - Reg.Config, size);
    if (size !== 4) return 0;
    const q = this.queueSel < this.queues.length ? this.queues[this.queueSel] : undefined;
    switch (offset) {
      case Reg.Magic:
        return MAGIC;
      case Reg.Version:
        return this.version;
      case Reg.DeviceId:
        return d.deviceId;
      case Reg.VendorId:
        return VENDOR;
      case Reg.DeviceFeatures: {
        const f = d.features(this.legacy);
        return this.legacy ? (this.deviceFeaturesSel ? 0 : f[0]) : f[this.deviceFeaturesSel];
      }
      case Reg.QueueNumMax:
        return q !== undefined && q.num !== 0 ? QUEUE_MAX : 0;
      case Reg.QueuePfn:
        return this.legacy && q !== undefined ? Math.floor(q.descAddr / 2 ** this.pageShift) >>> 0 : 0;
      case Reg.QueueReady:
        return !this.legacy && q !== undefined && this.modern[this.queueSel].ready ? 1 : 0;
      case Reg.InterruptStatus:
        return this.isr;
      case Reg.Status:
        return this.status;
      case Reg.ConfigGeneration:
        return 0;
      case Reg.ShmLenLow:
      case Reg.ShmLenHigh:
        return 0xffffffff;
      default:
        return 0;
    }
  }

  private get version(): number {
    return this.legacy ? 1 : 2;
  }

  private readConfig(d: VirtioDevice, off: number, size: number): number {
    const c = d.config;
    const ones = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    if (off + size > c.length) return ones;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + c[off + i];
    return v;
  }

  write(offset: number, size: number, value: number): void {
    const d = this.device;
    if (d === undefined) return;
    if (offset >= Reg.Config) {
      d.writeConfig?.(offset - Reg.Config, size, value);
      return;
    }
    if (size !== 4) return;
    value >>>= 0;
    const sel = this.queueSel;
    const q = sel < this.queues.length ? this.queues[sel] : undefined;
    const m = sel < this.modern.length ? this.modern[sel] : undefined;
    switch (offset) {
      case Reg.DeviceFeaturesSel:
        this.deviceFeaturesSel = value ? 1 : 0;
        break;
      case Reg.DriverFeatures:
        if (!this.legacy) this.driverFeatures[this.driverFeaturesSel] = value;
        else if (this.driverFeaturesSel === 0) this.acceptFeatures([value, 0]);
        break;
      case Reg.DriverFeaturesSel:
        this.driverFeaturesSel = value ? 1 : 0;
        break;
      case Reg.GuestPageSize:
        if (this.legacy) this.pageShift = value === 0 ? 0 : 31 - Math.clz32(value & -value);
        break;
      case Reg.QueueSel:
        if (value < QUEUE_SEL_LIMIT) this.queueSel = value;
        break;
      case Reg.QueueNum:
        if (q === undefined) break;
        this.setNum(q, value);
        if (this.legacy) q.setLegacyRings(q.descAddr, this.align[sel]);
        else m!.num = value;
        break;
      case Reg.QueueAlign:
        if (this.legacy && q !== undefined) {
          this.align[sel] = value;
          q.setLegacyRings(q.descAddr, value);
        }
        break;
      case Reg.QueuePfn:
        if (!this.legacy) break;
        if (value === 0) this.reset();
        else if (q !== undefined) q.setLegacyRings(value * 2 ** this.pageShift, this.align[sel]);
        break;
      case Reg.QueueReady:
        if (this.legacy || q === undefined) break;
        if (value) {
          this.setNum(q, m!.num);
          q.descAddr = addr64(m!.desc);
          q.availAddr = addr64(m!.avail);
          q.usedAddr = addr64(m!.used);
        }
        m!.ready = value !== 0;
        break;
      case Reg.QueueNotify:
        if (value < this.queues.length) this.notify(value);
        break;
      case Reg.InterruptAck:
        this.isr &= ~value;
        this.updateIrq();
        break;
      case Reg.Status:
        this.writeStatus(value & 0xff);
        break;
      case Reg.QueueDescLow:
      case Reg.QueueDescHigh:
      case Reg.QueueAvailLow:
      case Reg.QueueAvailHigh:
      case Reg.QueueUsedLow:
      case Reg.QueueUsedHigh:
        if (this.legacy || m === undefined) break;
        (offset < Reg.QueueAvailLow ? m.desc : offset < Reg.QueueUsedLow ? m.avail : m.used)[(offset >> 2) & 1] = value;
        break;
    }
  }

  /** QEMU keeps a queue existing or absent, and at most VIRTQUEUE_MAX_SIZE entries. */
  private setNum(q: Virtqueue, value: number): void {
    if ((value !== 0) !== (q.num !== 0) || value > QUEUE_MAX) return;
    q.num = value;
  }

  private writeStatus(value: number): void {
    if (!this.legacy && value & STATUS_FEATURES_OK && !(this.status & STATUS_FEATURES_OK)) this.acceptFeatures(this.driverFeatures);
    this.status = value;
    if (value === 0) this.reset();
  }

  private acceptFeatures(f: Features): void {
    const offered = this.device!.features(this.legacy);
    this.accepted = [(f[0] & offered[0]) >>> 0, (f[1] & offered[1]) >>> 0];
    for (const q of this.queues) {
      q.eventIdx = hasFeature(this.accepted, F_EVENT_IDX);
      q.notifyOnEmpty = hasFeature(this.accepted, F_NOTIFY_ON_EMPTY);
    }
    this.device!.setFeatures?.(this.accepted);
  }

  /** Whether the driver accepted VIRTIO_F_VERSION_1. */
  get modernDriver(): boolean {
    return hasFeature(this.accepted, F_VERSION_1);
  }

  /**
   * The device reset a driver asks for (Status 0, or QueuePFN 0 on legacy), as
   * QEMU's virtio_reset: status, interrupts, accepted features and the rings.
   * The transport's own registers (page size, feature selectors, the modern
   * queue registers but their ready bits) are kept, as QEMU keeps them.
   */
  reset(): void {
    this.status = 0;
    this.isr = 0;
    this.accepted = [0, 0];
    this.queueSel = 0;
    this.broken = undefined;
    for (let i = 0; i < this.queues.length; i++) {
      this.queues[i].reset();
      this.modern[i].ready = false;
    }
    this.device?.reset?.();
    this.updateIrq();
  }

  private transport(): QueueTransport {
    return { phys: this.phys, isBroken: () => this.broken !== undefined, fail: (why) => this.fail(why) };
  }

  private notify(index: number): void {
    const q = this.queues[index];
    if (!q.configured || this.broken !== undefined) return;
    const pushed = serveQueue(this.transport(), this.device!, index, q);
    if (pushed && q.shouldNotify()) this.raise(ISR_USED);
  }

  /** QEMU's virtio_error: the device stops taking requests; a modern driver sees NEEDS_RESET and a configuration interrupt. */
  private fail(why: string): void {
    if (this.broken !== undefined) return;
    this.broken = why;
    if (this.modernDriver) {
      this.status |= STATUS_NEEDS_RESET;
      this.raise(ISR_CONFIG);
    }
  }

  private raise(bit: number): void {
    this.isr |= bit;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = this.isr !== 0;
    if (level === this.level) return;
    this.level = level;
    this.irq(level);
  }
}

/** The 32 transports with `devices` plugged from the last slot down, as QEMU plugs -device virtio-*-device. */
export function virtioMmioSlots(phys: PhysicalMemory, devices: readonly VirtioDevice[], legacy: boolean): VirtioMmioTransport[] {
  if (devices.length > VIRTIO_MMIO_COUNT) throw new Error(`at most ${VIRTIO_MMIO_COUNT} virtio-mmio devices, got ${devices.length}`);
  const slots: VirtioMmioTransport[] = [];
  for (let i = 0; i < VIRTIO_MMIO_COUNT; i++) {
    const k = VIRTIO_MMIO_COUNT - 1 - i;
    slots.push(new VirtioMmioTransport(phys, k < devices.length ? devices[k] : undefined, legacy, i));
  }
  return slots;
}

/** The slots' device-tree nodes as QEMU writes them: every slot, lowest address first, edge-rising SPIs. */
export function virtioMmioNodes(): DtNode[] {
  const nodes: DtNode[] = [];
  for (let i = 0; i < VIRTIO_MMIO_COUNT; i++) {
    const base = VIRTIO_MMIO_BASE + i * VIRTIO_MMIO_SIZE;
    nodes.push(
      node(`virtio_mmio@${base.toString(16)}`, [
        ['dma-coherent', EMPTY],
        ['interrupts', cells(GIC_SPI, VIRTIO_MMIO_FIRST_SPI + i, IRQ_TYPE_EDGE_RISING)],
        ['reg', cells64(base, VIRTIO_MMIO_SIZE)],
        ['compatible', strings('virtio,mmio')],
      ]),
    );
  }
  return nodes;
}
