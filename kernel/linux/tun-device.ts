// /dev/net/tun (misc device 10:200) without a network behind it: salty has
// no network interfaces of its own, so a descriptor never attaches to one.
// TUNGETFEATURES answers what Linux 6.1's driver supports; the calls that
// would create or attach an interface (TUNSETIFF, TUNSETQUEUE) answer
// ENOSYS, as an unimplemented part; every other request answers as Linux's
// driver does on a descriptor not attached to an interface (EBADFD), and so
// do read and write.

import type { Device } from '../vfs/device';
import type { DeviceFile } from '../vfs/open-file';
import { EBADFD, ENOSYS } from './errno';
import type { Call, SyscallResult } from './syscall-context';

/** makedev(10, 200). */
const TUN_RDEV = (10 << 8) | 200;

export const tunDevice: Device = { name: 'net/tun', rdev: TUN_RDEV, isTty: false, read: () => -EBADFD, write: () => -EBADFD };

const IFF_TUN = 0x1;
const IFF_TAP = 0x2;
const IFF_NAPI = 0x10;
const IFF_NAPI_FRAGS = 0x20;
const IFF_NO_CARRIER = 0x40;
const IFF_MULTI_QUEUE = 0x100;
const IFF_NO_PI = 0x1000;
const IFF_ONE_QUEUE = 0x2000;
const IFF_VNET_HDR = 0x4000;
const FEATURES = IFF_TUN | IFF_TAP | IFF_NO_CARRIER | IFF_NO_PI | IFF_ONE_QUEUE | IFF_VNET_HDR | IFF_MULTI_QUEUE | IFF_NAPI | IFF_NAPI_FRAGS;

/** The ioctl numbers of if_tun.h ('T', 200 + n; direction and size in the high bits). */
const TUNSETIFF = 0x400454ca;
const TUNSETQUEUE = 0x400454d9;
const TUNGETFEATURES = 0x800454cf;

export const isTunDevice = (f: DeviceFile): boolean => f.device === tunDevice;

export function tunIoctl(c: Call, req: number, arg: number): SyscallResult {
  if (req === TUNGETFEATURES) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, FEATURES, true);
    c.user.write(arg, b);
    return 0;
  }
  if (req === TUNSETIFF || req === TUNSETQUEUE) return -ENOSYS;
  // Every other request needs an attached interface.
  return -EBADFD;
}
