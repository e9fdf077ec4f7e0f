// virtio-blk (device ID 2) as QEMU 7.2's virtio-blk-device with its default
// properties: one queue of 256, 512-byte sectors, seg_max 254, the geometry,
// topology, write-cache, discard and write-zeroes fields, and the requests
// IN, OUT, FLUSH, GET_ID, DISCARD and WRITE_ZEROES with QEMU's statuses.

import type { BlockBackend } from './block-backend';
import { F_EVENT_IDX, F_INDIRECT_DESC, F_NOTIFY_ON_EMPTY, F_RING_RESET, F_VERSION_1, featureBits, type Features, hasFeature, type QueueContext, VIRTIO_ID_BLOCK, type VirtioDevice } from './virtio-device';
import { type Chain, gather, scatter, type Segment, totalLength } from './virtqueue';

const SEG_MAX = 2;
const GEOMETRY = 4;
const RO = 5;
const BLK_SIZE = 6;
const SCSI = 7;
const FLUSH = 9;
const TOPOLOGY = 10;
const CONFIG_WCE = 11;
const DISCARD = 13;
const WRITE_ZEROES = 14;

export const BLK_T_IN = 0;
export const BLK_T_OUT = 1;
export const BLK_T_FLUSH = 4;
export const BLK_T_GET_ID = 8;
export const BLK_T_DISCARD = 11;
export const BLK_T_WRITE_ZEROES = 13;
const BLK_T_BARRIER = 0x8000_0000;
export const BLK_S_OK = 0;
export const BLK_S_IOERR = 1;
export const BLK_S_UNSUPP = 2;
const WRITE_ZEROES_FLAG_UNMAP = 1;

const SECTOR = 512;
const HEADER = 16;
const ID_BYTES = 20;
/** BDRV_REQUEST_MAX_SECTORS. */
const REQUEST_MAX_SECTORS = Math.floor(0x7fffffff / SECTOR) & ~7;
const MAX_DISCARD_SECTORS = 0x3fffff;
const QUEUE_SIZE = 256;
/** Config length with discard and write-zeroes offered: through max_write_zeroes_seg. */
const CONFIG_LEN = 56;
/** Large transfers go through the host in pieces of this size. */
const PIECE = 1 << 20;

export interface VirtioBlkOptions {
  /** QEMU's serial=: what GET_ID returns (empty by default). */
  readonly serial?: string;
}

export class VirtioBlk implements VirtioDevice {
  readonly name = 'virtio-blk';
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly queueSizes = [QUEUE_SIZE];
  readonly config = new Uint8Array(CONFIG_LEN);
  private readonly sectors: number;

  constructor(private readonly disk: BlockBackend, private readonly o: VirtioBlkOptions = {}) {
    this.sectors = Math.floor(disk.size / SECTOR);
    this.writeConfigSpace();
  }

  features(legacy: boolean): Features {
    const bits = [SEG_MAX, GEOMETRY, BLK_SIZE, FLUSH, TOPOLOGY, CONFIG_WCE, DISCARD, WRITE_ZEROES, F_INDIRECT_DESC, F_EVENT_IDX];
    if (this.disk.readOnly) bits.push(RO);
    if (legacy) bits.push(SCSI, F_NOTIFY_ON_EMPTY);
    else bits.push(F_VERSION_1, F_RING_RESET);
    return featureBits(...bits);
  }

  private writeConfigSpace(): void {
    const v = new DataView(this.config.buffer);
    v.setUint32(0, this.sectors % 4294967296, true);
    v.setUint32(4, Math.floor(this.sectors / 4294967296), true);
    v.setUint32(8, 0, true); // size_max
    v.setUint32(12, QUEUE_SIZE - 2, true); // seg_max
    const [cyls, heads, secs] = this.geometry();
    v.setUint16(16, cyls, true);
    v.setUint8(18, heads);
    v.setUint8(19, secs);
    v.setUint32(20, SECTOR, true); // blk_size
    // topology: physical_block_exp, alignment_offset, min_io_size, opt_io_size all 0
    v.setUint8(32, 1); // writeback
    v.setUint16(34, 1, true); // num_queues
    v.setUint32(36, MAX_DISCARD_SECTORS, true);
    v.setUint32(40, 1, true); // max_discard_seg
    v.setUint32(44, 1, true); // discard_sector_alignment
    v.setUint32(48, MAX_DISCARD_SECTORS, true);
    v.setUint32(52, 1, true); // max_write_zeroes_seg
  }

  /** QEMU's guessed CHS for a disk with no partition table: 16 heads, 63 sectors, cylinders from the size (2..16383). */
  private geometry(): [number, number, number] {
    const cyls = Math.min(16383, Math.max(2, Math.floor(this.sectors / (16 * 63))));
    return [cyls, 16, 63];
  }

  writeConfig(offset: number, size: number, value: number): void {
    // Only the writeback byte is writable (VIRTIO_BLK_F_CONFIG_WCE).
    if (offset === 32 && size === 1) this.config[32] = value & 1;
  }

  /** Without CONFIG_WCE the cache mode follows FLUSH (QEMU's virtio_blk_set_features); reset restores writeback. */
  setFeatures(accepted: Features): void {
    if (!hasFeature(accepted, CONFIG_WCE)) this.config[32] = hasFeature(accepted, FLUSH) ? 1 : 0;
  }

  reset(): void {
    this.config[32] = 1;
  }

  handleQueue(_index: number, ctx: QueueContext): void {
    for (let chain = ctx.pop(); chain !== null; chain = ctx.pop()) {
      const written = this.request(ctx, chain);
      if (written < 0) return;
      ctx.push(chain, written);
    }
  }

  /** Serves one request; returns the bytes written to the chain, or -1 when the request broke the device. */
  private request(ctx: QueueContext, chain: Chain): number {
    const phys = ctx.phys;
    if (chain.readable.length < 1 || chain.writable.length < 1) return this.fail(ctx, 'virtio-blk missing headers');
    const header = new Uint8Array(HEADER);
    if (gather(phys, chain.readable, 0, header) !== HEADER) return this.fail(ctx, 'virtio-blk request outhdr too short');
    const last = chain.writable[chain.writable.length - 1];
    if (last.len < 1) return this.fail(ctx, 'virtio-blk request inhdr too short');
    const inLen = totalLength(chain.writable);
    const statusAddr = last.addr + last.len - 1;
    const h = new DataView(header.buffer);
    const type = h.getUint32(0, true);
    const sector = h.getUint32(8, true) + h.getUint32(12, true) * 4294967296;
    const dataIn = trimEnd(chain.writable, 1);
    let status: number;
    switch ((type & ~(BLK_T_OUT | BLK_T_BARRIER)) >>> 0) {
      case BLK_T_IN:
        status = type & BLK_T_OUT ? this.write(ctx, chain.readable, sector) : this.read(ctx, dataIn, sector);
        break;
      case BLK_T_FLUSH:
        status = this.disk.flush() ? BLK_S_OK : BLK_S_IOERR;
        break;
      case BLK_T_GET_ID: {
        const id = new TextEncoder().encode(`${this.o.serial ?? ''}\0`);
        scatter(phys, dataIn, 0, id.subarray(0, Math.min(id.length, totalLength(dataIn), ID_BYTES)));
        status = BLK_S_OK;
        break;
      }
      case BLK_T_DISCARD & ~BLK_T_OUT:
      case BLK_T_WRITE_ZEROES & ~BLK_T_OUT: {
        const s = this.discardOrZeroes(ctx, chain.readable, type);
        if (s < 0) return -1;
        status = s;
        break;
      }
      default:
        status = BLK_S_UNSUPP;
    }
    scatter(phys, [{ addr: statusAddr, len: 1 }], 0, Uint8Array.of(status));
    return inLen;
  }

  private fail(ctx: QueueContext, why: string): number {
    ctx.fail(why);
    return -1;
  }

  private rangeOk(sector: number, bytes: number): boolean {
    const n = bytes / SECTOR;
    if (bytes % SECTOR !== 0 || n > REQUEST_MAX_SECTORS) return false;
    return sector <= this.sectors && n <= this.sectors - sector;
  }

  private read(ctx: QueueContext, segs: Segment[], sector: number): number {
    const bytes = totalLength(segs);
    if (!this.rangeOk(sector, bytes)) return BLK_S_IOERR;
    for (let done = 0; done < bytes; done += PIECE) {
      const piece = new Uint8Array(Math.min(PIECE, bytes - done));
      if (!this.disk.read(sector * SECTOR + done, piece)) return BLK_S_IOERR;
      scatter(ctx.phys, segs, done, piece);
    }
    return BLK_S_OK;
  }

  private write(ctx: QueueContext, readable: Segment[], sector: number): number {
    const bytes = totalLength(readable) - HEADER;
    if (!this.rangeOk(sector, bytes)) return BLK_S_IOERR;
    if (this.disk.readOnly) return BLK_S_IOERR;
    for (let done = 0; done < bytes; done += PIECE) {
      const piece = new Uint8Array(Math.min(PIECE, bytes - done));
      gather(ctx.phys, readable, HEADER + done, piece);
      if (!this.disk.write(sector * SECTOR + done, piece)) return BLK_S_IOERR;
    }
    return BLK_S_OK;
  }

  /** One discard or write-zeroes segment (max_*_seg is 1); discard does nothing, as QEMU's default discard=ignore. */
  private discardOrZeroes(ctx: QueueContext, readable: Segment[], type: number): number {
    const outLen = totalLength(readable) - HEADER;
    if (!(type & BLK_T_OUT) || outLen > 16) return BLK_S_UNSUPP;
    const seg = new Uint8Array(16);
    if (gather(ctx.phys, readable, HEADER, seg) !== 16) return this.fail(ctx, 'virtio-blk discard/write_zeroes header too short');
    const v = new DataView(seg.buffer);
    const sector = v.getUint32(0, true) + v.getUint32(4, true) * 4294967296;
    const count = v.getUint32(8, true);
    const flags = v.getUint32(12, true);
    if (count > MAX_DISCARD_SECTORS || !this.rangeOk(sector, count * SECTOR)) return BLK_S_IOERR;
    const zeroes = (type & ~BLK_T_BARRIER) >>> 0 === BLK_T_WRITE_ZEROES;
    if (zeroes) {
      if (flags & ~WRITE_ZEROES_FLAG_UNMAP) return BLK_S_UNSUPP;
      if (this.disk.readOnly) return BLK_S_IOERR;
      for (let done = 0; done < count * SECTOR; done += PIECE) {
        if (!this.disk.write(sector * SECTOR + done, new Uint8Array(Math.min(PIECE, count * SECTOR - done)))) return BLK_S_IOERR;
      }
      return BLK_S_OK;
    }
    return flags & WRITE_ZEROES_FLAG_UNMAP ? BLK_S_UNSUPP : BLK_S_OK;
  }
}

/** The segments less their last `n` bytes (the status byte). */
function trimEnd(segs: readonly Segment[], n: number): Segment[] {
  const out = segs.map((s) => ({ ...s }));
  while (n > 0 && out.length > 0) {
    const last = out[out.length - 1];
    const take = Math.min(n, last.len);
    n -= take;
    if (take === last.len) out.pop();
    else out[out.length - 1] = { addr: last.addr, len: last.len - take };
  }
  return out;
}
