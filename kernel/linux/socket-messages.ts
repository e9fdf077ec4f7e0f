// The user-memory shapes of AF_UNIX calls: sockaddr_un, struct msghdr with
// its iovecs, and the control messages SCM_RIGHTS and SCM_CREDENTIALS.

import type { Credentials, UnixAddress } from '../vfs/unix-socket';
import { UserFault } from '../process/user-memory';
import { EINVAL } from './errno';
import type { Call } from './syscall-context';
import { gatherRange, SEND_MAX } from './send-bytes';

export const AF_UNIX = 1;
const AF_UNSPEC = 0;
const SUN_PATH_OFFSET = 2;
const SOCKADDR_UN_SIZE = 110;
const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
export const SCM_CREDENTIALS = 2;
const CMSG_HEADER = 16;
/** SCM_MAX_FD: files one message may pass. */
const MAX_FDS = 253;
const TWO32 = 4294967296;

/** What a sockaddr argument names: an address, AF_UNSPEC (dissolve a datagram association), or autobind (family only). */
export type AddressArg = UnixAddress | { readonly kind: 'unspec' } | { readonly kind: 'autobind' };

/** Decodes the sockaddr_un at addr of len bytes, as unix_validate_addr and unix_mkname read it. */
export function readAddress(c: Call, addr: number, len: number): AddressArg | number {
  if (len < SUN_PATH_OFFSET || len > SOCKADDR_UN_SIZE) return -EINVAL;
  const b = c.user.read(addr, len);
  const family = b[0] | (b[1] << 8);
  if (family === AF_UNSPEC) return { kind: 'unspec' };
  if (family !== AF_UNIX) return -EINVAL;
  if (len === SUN_PATH_OFFSET) return { kind: 'autobind' };
  if (b[2] === 0) return { kind: 'abstract', name: b.slice(3) };
  const end = b.indexOf(0, 2);
  return { kind: 'path', path: Buffer.from(b.subarray(2, end < 0 ? len : end)).toString('latin1') };
}

/** The sockaddr_un bytes Linux reports for a name (its length is what addrlen gets). */
export function encodeAddress(a: UnixAddress): Uint8Array {
  const body = a.kind === 'path' ? Buffer.concat([Buffer.from(a.path, 'latin1'), Buffer.from([0])]) : a.kind === 'abstract' ? Buffer.concat([Buffer.from([0]), a.name]) : Buffer.alloc(0);
  const out = new Uint8Array(SUN_PATH_OFFSET + body.length);
  out[0] = AF_UNIX;
  out.set(body, SUN_PATH_OFFSET);
  return out;
}

/** Writes an address to (addr, *lenAddr) as getsockname and accept do: truncated to the room, the full length stored. */
export function writeAddress(c: Call, addr: number, lenAddr: number, a: UnixAddress): number {
  if (addr === 0) return 0;
  const room = new DataView(c.user.read(lenAddr, 4).buffer).getInt32(0, true);
  if (room < 0) return -EINVAL;
  const bytes = encodeAddress(a);
  c.user.write(addr, bytes.subarray(0, Math.min(room, bytes.length)));
  putInt(c, lenAddr, bytes.length);
  return 0;
}

export function putInt(c: Call, addr: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  c.user.write(addr, b);
}

/** struct msghdr (56 bytes on arm64). */
export interface MsgHeader {
  readonly name: number;
  readonly nameLen: number;
  readonly iov: { base: number; len: number }[];
  readonly control: number;
  readonly controlLen: number;
}

const MAX_IOV = 1024;

export function readMsgHeader(c: Call, addr: number): MsgHeader | number {
  const w = c.words(addr, 6);
  const nameLen = w[1] % TWO32 | 0;
  const iovLen = w[3];
  // Linux: more than UIO_MAXIOV iovecs is EMSGSIZE.
  if (iovLen > MAX_IOV) return -90;
  const words = iovLen === 0 ? [] : c.words(w[2], iovLen * 2);
  const iov = [];
  for (let i = 0; i < iovLen; i++) iov.push({ base: words[2 * i], len: words[2 * i + 1] });
  return { name: w[0], nameLen, iov, control: w[4], controlLen: w[5] };
}

/** Beyond every user half (2^56): an iovec there is EFAULT, as Linux's access_ok says, before any host arithmetic on it. */
const USER_LIMIT = 2 ** 56;

export function checkIov(iov: readonly { base: number; len: number }[]): void {
  for (const v of iov) if (v.len > 0 && (v.base >= USER_LIMIT || v.len >= USER_LIMIT)) throw new UserFault(v.base);
}

/** The bytes a send gathers from its iovecs: at most SEND_MAX in all (1024 iovecs of 16 MiB made the host copy 16 GiB). */
export function gather(c: Call, iov: readonly { base: number; len: number }[]): Uint8Array {
  checkIov(iov);
  let size = 0;
  for (const v of iov) if (v.len > 0) size += v.len;
  return gatherRange(c, iov, 0, Math.min(size, SEND_MAX));
}

/** Scatters received bytes over the iovecs. */
export function scatter(c: Call, iov: readonly { base: number; len: number }[], data: Uint8Array): void {
  checkIov(iov);
  let at = 0;
  for (const v of iov) {
    if (at >= data.length) break;
    const n = Math.min(v.len, data.length - at);
    c.user.write(v.base, data.subarray(at, at + n));
    at += n;
  }
}

/** What a sendmsg's control messages ask for. */
export interface Control {
  readonly fds: number[];
  readonly creds: Credentials | null;
}

export function readControl(c: Call, addr: number, len: number): Control | number {
  const fds: number[] = [];
  let creds: Credentials | null = null;
  if (addr === 0 || len < CMSG_HEADER) return { fds, creds };
  const b = c.user.read(addr, Math.min(len, 1 << 16));
  const v = new DataView(b.buffer);
  for (let at = 0; at + CMSG_HEADER <= b.length; ) {
    const cmsgLen = v.getUint32(at, true) + v.getUint32(at + 4, true) * TWO32;
    if (cmsgLen < CMSG_HEADER || at + cmsgLen > b.length) return -EINVAL;
    const level = v.getInt32(at + 8, true);
    const type = v.getInt32(at + 12, true);
    if (level !== SOL_SOCKET) return -EINVAL;
    if (type === SCM_RIGHTS) {
      const n = Math.floor((cmsgLen - CMSG_HEADER) / 4);
      if (fds.length + n > MAX_FDS) return -EINVAL;
      for (let i = 0; i < n; i++) fds.push(v.getInt32(at + CMSG_HEADER + 4 * i, true));
    } else if (type === SCM_CREDENTIALS) {
      if (cmsgLen !== CMSG_HEADER + 12) return -EINVAL;
      creds = { pid: v.getInt32(at + 16, true), uid: v.getInt32(at + 20, true), gid: v.getInt32(at + 24, true) };
    } else {
      return -EINVAL;
    }
    at += (cmsgLen + 7) & ~7;
  }
  return { fds, creds };
}

/** One control message for recvmsg: its header and data, padded to CMSG_SPACE, and its cmsg_len. */
export function controlMessage(type: number, data: Uint8Array): { bytes: Uint8Array; len: number } {
  const len = CMSG_HEADER + data.length;
  const bytes = new Uint8Array((len + 7) & ~7);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, len, true);
  v.setInt32(8, SOL_SOCKET, true);
  v.setInt32(12, type, true);
  bytes.set(data, CMSG_HEADER);
  return { bytes, len };
}

export function credentialBytes(cr: Credentials): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setInt32(0, cr.pid, true);
  v.setInt32(4, cr.uid, true);
  v.setInt32(8, cr.gid, true);
  return b;
}

export const CMSG_HEADER_SIZE = CMSG_HEADER;
