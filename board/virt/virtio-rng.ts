// virtio-rng (device ID 4) as QEMU's virtio-rng-device: one queue of 8; each
// chain's writable buffers are filled with random bytes from the host.

import { F_ANY_LAYOUT, F_EVENT_IDX, F_INDIRECT_DESC, F_NOTIFY_ON_EMPTY, F_RING_RESET, F_VERSION_1, featureBits, type Features, type QueueContext, VIRTIO_ID_RNG, type VirtioDevice } from './virtio-device';
import { scatter, totalLength } from './virtqueue';

export type RandomSource = (buf: Uint8Array) => void;

const hostRandom: RandomSource = (buf) => {
  for (let i = 0; i < buf.length; i += 65536) buf.set(crypto.getRandomValues(new Uint8Array(Math.min(65536, buf.length - i))), i);
};

export class VirtioRng implements VirtioDevice {
  readonly name = 'virtio-rng';
  readonly deviceId = VIRTIO_ID_RNG;
  readonly queueSizes = [8];
  readonly config = new Uint8Array(0);

  constructor(private readonly random: RandomSource = hostRandom) {}

  features(legacy: boolean): Features {
    return legacy ? featureBits(F_NOTIFY_ON_EMPTY, F_ANY_LAYOUT, F_INDIRECT_DESC, F_EVENT_IDX) : featureBits(F_INDIRECT_DESC, F_EVENT_IDX, F_VERSION_1, F_RING_RESET);
  }

  handleQueue(_index: number, ctx: QueueContext): void {
    for (let chain = ctx.pop(); chain !== null; chain = ctx.pop()) {
      const bytes = new Uint8Array(totalLength(chain.writable));
      this.random(bytes);
      ctx.push(chain, scatter(ctx.phys, chain.writable, 0, bytes));
    }
  }
}
