// A hugetlbfs file (memfd_create with MFD_HUGETLB): no write, and a size
// only in whole huge pages. Mapping it is the Linux personality's business
// (kernel/linux/huge-pages.ts): the pool of huge pages is empty.

import type { MemFile } from './node';
import { RegularFile } from './open-file';
import type { OverlayFs } from './overlay-fs';
import { EINVAL } from './vfs-errno';

/** A hugetlbfs file from memfd_create(MFD_HUGETLB). */
export class HugetlbFile extends RegularFile {
  constructor(
    path: string,
    flags: number,
    node: MemFile,
    fs: OverlayFs,
    readonly pageSize: number,
  ) {
    super(path, flags, node, fs);
  }

  /** hugetlbfs has no write. */
  override write(): number {
    return -EINVAL;
  }

  override truncate(length: number): number {
    return length % this.pageSize !== 0 ? -EINVAL : super.truncate(length);
  }
}

