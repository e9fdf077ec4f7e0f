// The ioctls of /dev/random and /dev/urandom (drivers/char/random.c in 6.1):
// the entropy count, which is the full pool (256 bits, as
// /proc/sys/kernel/random/entropy_avail says) since salty's generator is the
// host's, and the privileged pool operations, which need CAP_SYS_ADMIN and
// change nothing here (crediting a full pool leaves it full). Any other
// request is EINVAL, as the driver answers.

import type { DeviceFile } from '../vfs/open-file';
import { CAP_SYS_ADMIN } from './credentials';
import { EINVAL, EPERM } from './errno';
import type { Call } from './syscall-context';

const RNDGETENTCNT = 0x80045200;
const RNDADDTOENTCNT = 0x40045201;
const RNDADDENTROPY = 0x40085203;
const RNDZAPENTCNT = 0x5204;
const RNDCLEARPOOL = 0x5206;
const RNDRESEEDCRNG = 0x5207;
export const POOL_BITS = 256;

export const isRandomDevice = (f: DeviceFile): boolean => f.device.name === 'urandom' || f.device.name === 'random';

function readInt(c: Call, addr: number): number {
  return new DataView(c.user.read(addr, 4).buffer).getInt32(0, true);
}

export function randomIoctl(c: Call, req: number, arg: number): number {
  if (req === RNDGETENTCNT) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, POOL_BITS, true);
    c.user.write(arg, b);
    return 0;
  }
  if (![RNDADDTOENTCNT, RNDADDENTROPY, RNDZAPENTCNT, RNDCLEARPOOL, RNDRESEEDCRNG].includes(req)) return -EINVAL;
  if (!c.p.creds.capable(CAP_SYS_ADMIN)) return -EPERM;
  if (req === RNDADDTOENTCNT && readInt(c, arg) < 0) return -EINVAL;
  if (req === RNDADDENTROPY) {
    // struct rand_pool_info: entropy_count, buf_size, then the bytes (read, as the driver mixes them in).
    const [count, size] = [readInt(c, arg), readInt(c, arg + 4)];
    if (count < 0 || size < 0) return -EINVAL;
    c.user.read(arg + 8, size);
  }
  return 0;
}
