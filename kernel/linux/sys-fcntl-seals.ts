// fcntl's commands beyond descriptors, status flags and locks: memfd seals
// (F_ADD_SEALS, F_GET_SEALS) and the SIGIO owner (F_SETOWN, F_GETOWN, kept by async-io.ts).

import { EBUSY, EINVAL, EPERM } from './errno';
import type { Call, SyscallResult } from './syscall-context';
import type { OpenFile } from '../vfs/open-file';
import { ownerCommand } from './async-io';
import { F_SEAL_FUTURE_WRITE, F_SEAL_SEAL, F_SEAL_WRITE, sealsOf, setSeals } from '../vfs/memfd';

const F_SETOWN = 8;
const F_GETOWN = 9;
const F_ADD_SEALS = 1033;
const F_GET_SEALS = 1034;
const KNOWN_SEALS = 0x1f;

export function fileCommand(c: Call, f: OpenFile, cmd: number): SyscallResult | null {
  switch (cmd) {
    case F_SETOWN:
    case F_GETOWN:
      return ownerCommand(c, f, cmd);
    case F_GET_SEALS: {
      const s = sealsOf(f);
      return s === null ? -EINVAL : s;
    }
    case F_ADD_SEALS:
      return addSeals(c, f, c.u32(2));
    default:
      return null;
  }
}

function addSeals(c: Call, f: OpenFile, seals: number): number {
  const now = sealsOf(f);
  if (now === null || (seals & ~KNOWN_SEALS) !== 0) return -EINVAL;
  if (!f.writable) return -EPERM;
  if ((now & F_SEAL_SEAL) !== 0) return -EPERM;
  if ((seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) !== 0 && (seals & F_SEAL_WRITE) !== 0 && c.sys.sharedFiles.writablyMapped(c.sys.kernel.mm.vspaces, f.attrs().ino)) return -EBUSY;
  setSeals(f, now | seals);
  return 0;
}
