// The writable layer over / sized as Linux sizes a tmpfs: size= defaults to
// half of RAM and nr_inodes= to half of RAM's pages; its file data (and
// memfd's) lives in guest RAM, in frames the PMM hands out under 'fs-data'
// (kernel/mm/file-frames.ts, kernel/vfs/file-space.ts).

import { PAGE_SIZE } from '../arch/arch';
import { FileFrames } from '../mm/file-frames';
import { FileSpace } from '../vfs/file-space';
import type { LinuxSystem } from './linux-system';

/** The frames of file data, per system (run-audit.ts counts them). */
export const fileFrames = new WeakMap<LinuxSystem, FileFrames>();

export function sizeWritableLayer(sys: LinuxSystem): void {
  const pmm = sys.kernel.mm.pmm;
  const ramPages = pmm.frameCount;
  const charge = new FileFrames(pmm, sys.kernel.phys);
  fileFrames.set(sys, charge);
  const half = Math.floor(ramPages / 2);
  const size = sys.options.rootSize ?? half * PAGE_SIZE;
  const space = new FileSpace(Math.ceil(size / PAGE_SIZE), half, charge);
  [space.defaultBlocks, space.defaultInodes] = [half, half];
  sys.fs.space = space;
  sys.fs.anonSpace = FileSpace.unlimited(charge);
}
