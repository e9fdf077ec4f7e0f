// signalfd: a descriptor that reads, as struct signalfd_siginfo records, the
// pending signals of its mask. It takes them from the process that made it
// (its shared queue, then its threads' own queues), readable while one is
// pending; poll, select and epoll see that through the readiness interface.

import type { Attributes } from '../vfs/node';
import { OpenFile, O_RDWR } from '../vfs/open-file';
import { newIno } from '../vfs/overlay-fs';
import { EAGAIN, EINVAL } from './errno';
import type { LinuxProcess } from './linux-process';
import type { SigInfo } from './signal-state';
import { SigSet } from './sigset';

export const SIGNALFD_SIGINFO_SIZE = 128;
const SI_TIMER = -2;
const TWO32 = 4294967296;

/** struct signalfd_siginfo for one signal. */
export function encodeSignalfdSiginfo(info: SigInfo): Uint8Array {
  const out = new Uint8Array(SIGNALFD_SIGINFO_SIZE);
  const v = new DataView(out.buffer);
  const set64 = (at: number, x: number): void => {
    v.setUint32(at, x % TWO32 >>> 0, true);
    v.setUint32(at + 4, Math.floor(x / TWO32) >>> 0, true);
  };
  v.setUint32(0, info.signo, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) {
    set64(72, info.addr);
    return out;
  }
  if (info.band !== undefined) {
    v.setInt32(20, info.fd ?? 0, true);
    v.setUint32(28, info.band, true);
    return out;
  }
  if (info.code === SI_TIMER) {
    v.setUint32(24, info.pid ?? 0, true);
    v.setUint32(32, info.uid ?? 0, true);
  } else {
    v.setUint32(12, info.pid ?? 0, true);
    v.setUint32(16, info.uid ?? 0, true);
  }
  if (info.status !== undefined) v.setInt32(40, info.status, true);
  if (info.value !== undefined) {
    v.setInt32(44, info.value % TWO32 | 0, true);
    set64(48, info.value);
  }
  return out;
}

export class SignalFd extends OpenFile {
  private readonly ino = newIno();

  constructor(
    private readonly owner: LinuxProcess,
    public mask: SigSet,
    flags: number,
  ) {
    super('anon_inode:[signalfd]', flags | O_RDWR);
  }

  /** Every signal not in the mask: what take() must leave queued. */
  private get others(): SigSet {
    return new SigSet(0xffffffff, 0xffffffff).minus(this.mask);
  }

  private take(): SigInfo | undefined {
    const others = this.others;
    const p = this.owner;
    let info = p.pending.take(others);
    for (const t of p.threads) info ??= t.pending.take(others);
    return info;
  }

  read(max: number): Uint8Array | number {
    if (max < SIGNALFD_SIGINFO_SIZE) return -EINVAL;
    const records: Uint8Array[] = [];
    while (records.length < Math.floor(max / SIGNALFD_SIGINFO_SIZE)) {
      const info = this.take();
      if (!info) break;
      records.push(encodeSignalfdSiginfo(info));
    }
    if (records.length === 0) return -EAGAIN;
    const out = new Uint8Array(records.length * SIGNALFD_SIGINFO_SIZE);
    records.forEach((r, i) => out.set(r, i * SIGNALFD_SIGINFO_SIZE));
    return out;
  }

  write(): number {
    return -EINVAL;
  }

  override pollIn(): boolean {
    const p = this.owner;
    const wanted = (set: SigSet): boolean => (set.lo & this.mask.lo) !== 0 || (set.hi & this.mask.hi) !== 0;
    return wanted(p.pending.set) || [...p.threads].some((t) => wanted(t.pending.set));
  }
  override pollOut(): boolean {
    return false;
  }
  override seekable(): boolean {
    return false;
  }

  attrs(): Attributes {
    const now = Date.now();
    return { kind: 'file', perm: 0o600, size: 0, ino: this.ino, nlink: 1, rdev: 0, mtimeMs: now, atimeMs: now, ctimeMs: now };
  }
}
