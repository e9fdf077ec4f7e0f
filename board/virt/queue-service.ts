// One notified queue served for a device, shared by the virtio-mmio and
// virtio-pci transports: a ring fault marks the transport broken (QEMU's
// virtio_error) and stops the device's pops and pushes.

import type { PhysicalMemory } from '../memory/physical-memory';
import type { QueueContext, VirtioDevice } from './virtio-device';
import type { Chain, Virtqueue } from './virtqueue';

export interface QueueTransport {
  readonly phys: PhysicalMemory;
  isBroken(): boolean;
  fail(why: string): void;
}

/** Lets device handle queue index; true when it returned a chain to the driver. */
export function serveQueue(t: QueueTransport, device: VirtioDevice, index: number, q: Virtqueue): boolean {
  let pushed = false;
  const ctx: QueueContext = {
    phys: t.phys,
    queue: q,
    pop: () => {
      if (t.isBroken()) return null;
      const c = q.pop();
      if (c === null) return null;
      if ('fault' in c) {
        t.fail(c.fault);
        return null;
      }
      return c;
    },
    push: (chain: Chain, written: number) => {
      if (t.isBroken()) return;
      if (!q.push(chain.head, written)) t.fail('used ring outside RAM');
      else pushed = true;
    },
    fail: (why) => t.fail(why),
  };
  device.handleQueue(index, ctx);
  return pushed;
}
