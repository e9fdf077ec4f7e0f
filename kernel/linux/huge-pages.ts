// Huge pages as a Linux kernel with hugetlbfs configured but an empty pool
// shows them: the sizes the arch's MMU has (4 KiB granule), vm.nr_hugepages
// that stays 0 whatever is asked (no frame run is set aside for them), and
// hugetlbfs files (memfd_create with MFD_HUGETLB) that take no write, only
// huge-page multiples as their size, and whose mappings cannot be reserved
// (ENOMEM) or, with MAP_NORESERVE, fault with SIGBUS. SysV SHM_HUGETLB asks
// for CAP_IPC_LOCK or room under RLIMIT_MEMLOCK first, then finds the pool
// empty.

import type { ArchName } from '../arch/arch';
import { EINVAL } from './errno';
import type { LinuxSystem } from './linux-system';
import { dropAllCached } from './page-cache';
import type { ProcEntry } from './proc-fs';

/** log2 of the huge page sizes (64 KiB contiguous, 2 MiB and 1 GiB blocks, 32 MiB contiguous on arm64). */
const SIZES: Record<ArchName, readonly number[]> = { aarch64: [16, 21, 25, 30], x86_64: [21, 30] };
const DEFAULT_LOG = 21;

/** The huge page size the log2 field of MAP_HUGE_ and MFD_HUGE_ flags names (0: the default), or undefined when the MMU has none such. */
export function hugePageSize(arch: ArchName, log: number): number | undefined {
  const l = log === 0 ? DEFAULT_LOG : log;
  return SIZES[arch].includes(l) ? 2 ** l : undefined;
}

/** /proc/sys/vm's huge page files: writes are taken, the pool stays empty; drop_caches empties the page cache mincore reports. */
export function hugePageSysFiles(sys: LinuxSystem): Record<string, () => ProcEntry> {
  const pool = (): ProcEntry => ({
    kind: 'file',
    perm: 0o644,
    source: {
      sysctl: true,
      read: () => '0\n',
      write: (text) => (/^\s*\d+\s*$/.test(text) ? text.length : -EINVAL),
    },
  });
  const action = (ok: RegExp, act: (v: number) => void): ProcEntry => ({
    kind: 'file',
    perm: 0o200,
    source: {
      sysctl: true,
      read: () => '',
      write: (text) => {
        if (!ok.test(text)) return -EINVAL;
        act(Number(text.trim()));
        return text.length;
      },
    },
  });
  return {
    nr_hugepages: pool,
    nr_overcommit_hugepages: pool,
    // 1 and 3 drop the page cache; 2 (slab objects) and 4 (quiet) have nothing here to act on.
    drop_caches: () => action(/^\s*[1-4]\s*$/, (v) => (v & 1 ? dropAllCached(sys) : undefined)),
    // Memory is never fragmented into what a compaction would help.
    compact_memory: () => action(/^\s*1\s*$/, () => undefined),
  };
}
