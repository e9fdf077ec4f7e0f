// QEMU 7.2's virtio-net-pci as `-M virt` plugs it by default (-nic user): MAC
// 52:54:00:12:34:56, link up, the features QEMU offers with its user-mode
// backend (no checksum or segmentation offloads: slirp takes no vnet header),
// receive, transmit and control queues of 256, 256 and 64 entries, four MSI-X
// vectors, a 256 KiB expansion ROM BAR. Behind it, with the user backend,
// user-network.ts answers what slirp answers inside the virtual network (ARP,
// DHCP, ping of 10.0.2.2, TFTP's error); nothing reaches the host's network,
// and without a backend every transmitted frame is dropped. The control queue
// answers as QEMU's does (RX modes, MAC table and address, VLAN filter,
// announce acknowledgement, guest offloads).

import type { QueueContext } from './virtio-device';
import { F_ANY_LAYOUT, F_EVENT_IDX, F_INDIRECT_DESC, F_NOTIFY_ON_EMPTY, F_RING_RESET, F_VERSION_1, featureBits, type Features } from './virtio-device';
import type { VirtioPciDevice } from './virtio-pci';
import { UserNetwork } from './user-network';
import { gather, scatter, totalLength } from './virtqueue';

export const VIRTIO_ID_NET = 1;
/** QEMU's default NIC address (qemu_macaddr_default_if_unset for the first NIC). */
export const DEFAULT_MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);

const F_CTRL_GUEST_OFFLOADS = 2;
const F_MAC = 5;
const F_GSO = 6;
const F_MRG_RXBUF = 15;
const F_STATUS = 16;
const F_CTRL_VQ = 17;
const F_CTRL_RX = 18;
const F_CTRL_VLAN = 19;
const F_CTRL_RX_EXTRA = 20;
const F_GUEST_ANNOUNCE = 21;
const F_CTRL_MAC_ADDR = 23;
const F_BAD_FEATURE = 30;
const S_LINK_UP = 1;
const S_ANNOUNCE = 2;
const OK = 0;
const ERR = 1;
const MAX_VLAN = 4096;
const RX_QUEUE = 0;
const TX_QUEUE = 1;
const CTRL_QUEUE = 2;
/** The largest frame taken from the driver (with a VLAN tag), and how many received frames may wait for buffers. */
const MAX_FRAME = 1518;
const MAX_INCOMING = 64;

/** What QEMU 7.2 offers with -nic user: the device's features and the transport's. */
const FEATURES = featureBits(
  F_CTRL_GUEST_OFFLOADS, F_MAC, F_GSO, F_MRG_RXBUF, F_STATUS, F_CTRL_VQ, F_CTRL_RX, F_CTRL_VLAN, F_CTRL_RX_EXTRA, F_GUEST_ANNOUNCE,
  F_CTRL_MAC_ADDR, F_NOTIFY_ON_EMPTY, F_ANY_LAYOUT, F_INDIRECT_DESC, F_EVENT_IDX, F_BAD_FEATURE, F_VERSION_1, F_RING_RESET,
);
/** Bits only a legacy driver is offered. */
const LEGACY_ONLY = featureBits(F_GSO, F_NOTIFY_ON_EMPTY, F_ANY_LAYOUT, F_BAD_FEATURE);

export class VirtioNet implements VirtioPciDevice {
  readonly name = 'virtio-net';
  readonly deviceId = VIRTIO_ID_NET;
  readonly queueSizes = [256, 256, 64];
  readonly legacyOnly: Features = LEGACY_ONLY;
  readonly vectors = 4;
  readonly classCode = 0x020000;
  readonly romSize = 0x40000;
  /** mac[6], status (LINK_UP). */
  readonly config = new Uint8Array(8);
  /** Frames the driver transmitted. */
  transmitted = 0;
  private readonly mac: Uint8Array;
  private readonly network: UserNetwork | undefined;
  /** Frames waiting for receive buffers. */
  private readonly incoming: Uint8Array[] = [];
  /** The virtio-net header: 12 bytes with MRG_RXBUF or VERSION_1, else 10. */
  private headerBytes = 10;
  private kick: (index: number) => void = () => undefined;

  /** `user`: the user-mode network's answers (QEMU's -nic user); `none`: frames go nowhere. */
  constructor(mac: Uint8Array = DEFAULT_MAC, backend: 'user' | 'none' = 'user') {
    this.mac = Uint8Array.from(mac);
    this.network = backend === 'user' ? new UserNetwork((f) => this.deliver(f)) : undefined;
    this.reset();
  }

  attachKick(kick: (index: number) => void): void {
    this.kick = kick;
  }

  setFeatures(accepted: Features): void {
    this.headerBytes = (accepted[0] >>> F_MRG_RXBUF) & 1 || accepted[1] & 1 ? 12 : 10;
  }

  private deliver(frame: Uint8Array): void {
    if (this.incoming.length < MAX_INCOMING) this.incoming.push(frame);
  }

  features(): Features {
    return FEATURES;
  }

  reset(): void {
    this.incoming.length = 0;
    this.headerBytes = 10;
    this.config.set(this.mac, 0);
    this.config[6] = S_LINK_UP;
    this.config[7] = 0;
  }

  /** The MAC bytes are writable by a legacy driver (or one without CTRL_MAC_ADDR), as in QEMU. */
  writeConfig(offset: number, size: number, value: number): void {
    for (let i = 0; i < size; i++) if (offset + i < 6) this.config[offset + i] = (value >>> (8 * i)) & 0xff;
  }

  handleQueue(index: number, ctx: QueueContext): void {
    if (index === TX_QUEUE) {
      for (let c = ctx.pop(); c !== null; c = ctx.pop()) {
        this.transmitted++;
        const bytes = new Uint8Array(Math.min(totalLength(c.readable), MAX_FRAME + this.headerBytes));
        gather(ctx.phys, c.readable, 0, bytes);
        ctx.push(c, 0);
        this.network?.receive(bytes.subarray(this.headerBytes));
      }
      if (this.incoming.length > 0) this.kick(RX_QUEUE);
    } else if (index === RX_QUEUE) {
      while (this.incoming.length > 0) {
        const c = ctx.pop();
        if (c === null) return;
        const frame = this.incoming.shift()!;
        const out = new Uint8Array(this.headerBytes + frame.length);
        if (this.headerBytes === 12) out[10] = 1; // num_buffers
        out.set(frame, this.headerBytes);
        ctx.push(c, scatter(ctx.phys, c.writable, 0, out));
      }
    } else if (index === CTRL_QUEUE) {
      for (let c = ctx.pop(); c !== null; c = ctx.pop()) {
        const inBytes = totalLength(c.readable);
        if (inBytes < 2 || totalLength(c.writable) < 1) return ctx.fail('virtio-net ctrl missing headers');
        const req = new Uint8Array(Math.min(inBytes, 65536));
        gather(ctx.phys, c.readable, 0, req);
        scatter(ctx.phys, c.writable, 0, Uint8Array.of(this.control(req[0], req[1], req.subarray(2))));
        ctx.push(c, 1);
      }
    }
  }

  /** One control command: VIRTIO_NET_OK or VIRTIO_NET_ERR as QEMU answers it. */
  private control(cls: number, cmd: number, data: Uint8Array): number {
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    switch (cls) {
      case 0: // RX: PROMISC, ALLMULTI, then ALLUNI..NOBCAST with CTRL_RX_EXTRA
        return data.length === 1 && cmd <= 5 ? OK : ERR;
      case 1: // MAC
        if (cmd === 1) {
          if (data.length !== 6) return ERR;
          this.config.set(data, 0);
          return OK;
        }
        if (cmd === 0) {
          if (data.length < 4) return ERR;
          const uni = v.getUint32(0, true);
          const at = 4 + 6 * uni;
          if (uni > 1e6 || data.length < at + 4) return ERR;
          const multi = v.getUint32(at, true);
          return data.length === at + 4 + 6 * multi ? OK : ERR;
        }
        return ERR;
      case 2: // VLAN ADD, DEL
        return data.length === 2 && v.getUint16(0, true) < MAX_VLAN && cmd <= 1 ? OK : ERR;
      case 3: // ANNOUNCE ACK
        if (cmd === 0 && this.config[6] & S_ANNOUNCE) {
          this.config[6] &= ~S_ANNOUNCE;
          return OK;
        }
        return ERR;
      case 5: // GUEST_OFFLOADS SET: no offloads without a vnet header
        return cmd === 0 && data.length === 8 && v.getUint32(0, true) === 0 && v.getUint32(4, true) === 0 ? OK : ERR;
      default:
        return ERR;
    }
  }
}
