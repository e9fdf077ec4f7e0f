// What a virtio device (block, entropy, ...) gives its transport: identity,
// feature bits, queue sizes, configuration space and the queue handler.

import type { PhysicalMemory } from '../memory/physical-memory';
import type { Chain, Virtqueue } from './virtqueue';

export const VIRTIO_ID_BLOCK = 2;
export const VIRTIO_ID_CONSOLE = 3;
export const VIRTIO_ID_RNG = 4;

/** Feature bits of the transport and ring (bit numbers). */
export const F_NOTIFY_ON_EMPTY = 24;
export const F_ANY_LAYOUT = 27;
export const F_INDIRECT_DESC = 28;
export const F_EVENT_IDX = 29;
export const F_VERSION_1 = 32;
export const F_RING_RESET = 40;

/** A 64-bit feature set as two 32-bit words. */
export type Features = readonly [lo: number, hi: number];

export function featureBits(...bits: number[]): Features {
  let lo = 0;
  let hi = 0;
  for (const b of bits) {
    if (b < 32) lo |= 1 << b;
    else hi |= 1 << (b - 32);
  }
  return [lo >>> 0, hi >>> 0];
}

export function hasFeature(f: Features, bit: number): boolean {
  return bit < 32 ? ((f[0] >>> bit) & 1) !== 0 : ((f[1] >>> (bit - 32)) & 1) !== 0;
}

/** What the transport lends a device while it handles a queue. */
export interface QueueContext {
  readonly phys: PhysicalMemory;
  readonly queue: Virtqueue;
  /** The next chain, null when the ring is empty; a fault has already marked the device broken. */
  pop(): Chain | null;
  /** Returns a chain to the driver (used ring) with `written` bytes written to its writable part. */
  push(chain: Chain, written: number): void;
  /** A request the device cannot parse: the device becomes broken (QEMU's virtio_error). */
  fail(why: string): void;
}

export interface VirtioDevice {
  readonly name: string;
  readonly deviceId: number;
  /** Features offered through a legacy (version 1) or a modern (version 2) transport. */
  features(legacy: boolean): Features;
  /** vring.num of each queue before the driver sets one. */
  readonly queueSizes: readonly number[];
  /** The configuration space (little-endian); reads past its end return all ones, as QEMU's. */
  readonly config: Uint8Array;
  /** A driver write to the configuration space (already stored in `config` only if the device says so). */
  writeConfig?(offset: number, size: number, value: number): void;
  /** The driver accepted these features (FEATURES_OK, or the legacy DriverFeatures write). */
  setFeatures?(accepted: Features): void;
  /** The driver notified queue `index`. */
  handleQueue(index: number, ctx: QueueContext): void;
  /** Device reset (status 0). */
  reset?(): void;
  /** The transport lends a way to serve queue `index` as if the driver had notified it (a device with input of its own, such as received frames). */
  attachKick?(kick: (index: number) => void): void;
}
