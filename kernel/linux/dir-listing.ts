// A directory's listing kept by its open file description while getdents
// reads through it. Listing the directory anew for each call (the overlay
// merges the host's entries, an lstat each, with the upper layer's) made
// reading a directory of 30,000 entries with a small buffer take the square
// of its size: more than 120 s under -m 256M, where Linux's cursor walks it
// once. The listing is taken at offset 0 (a rewind takes a new one) and
// dropped at its end or the description's last close; POSIX leaves it
// unspecified whether entries made or removed meanwhile show up. It is
// charged to guest memory (kind dir-listing, twice its names and records);
// when it cannot be, nothing is kept and each call lists the directory again.

import type { DirEntry } from '../vfs/overlay-fs';
import { lastCloseHooks, type OpenFile } from '../vfs/open-file';
import { HOST_BYTES_FACTOR } from './kobj-charges';
import type { LinuxSystem } from './linux-system';

export const DIR_LISTING_KIND = 'dir-listing';

interface Listing {
  readonly entries: DirEntry[];
  readonly bytes: number;
  readonly sys: LinuxSystem;
}

const listings = new WeakMap<OpenFile, Listing>();

/** The entries getdents reads from f at its offset: ".", "..", then the directory's; -1 when f is not a directory. */
export function listingOf(sys: LinuxSystem, f: OpenFile): DirEntry[] | -1 {
  const kept = listings.get(f);
  if (kept && f.offset > 0) return kept.entries;
  if (kept) forget(f);
  const list = f.readdir();
  if (typeof list === 'number') return -1;
  const entries = [{ name: '.', type: 4, ino: f.attrs().ino }, { name: '..', type: 4, ino: 1 }, ...list];
  const bytes = HOST_BYTES_FACTOR * entries.reduce((n, e) => n + 64 + 2 * e.name.length, 0);
  if (sys.kernel.mm.kobjs.tryCharge(DIR_LISTING_KIND, bytes, undefined, true)) listings.set(f, { entries, bytes, sys });
  return entries;
}

/** getdents reached the end, or the description is gone: the listing goes. */
export function forget(f: OpenFile): void {
  const kept = listings.get(f);
  if (!kept) return;
  listings.delete(f);
  kept.sys.kernel.mm.kobjs.release(DIR_LISTING_KIND, kept.bytes);
}

lastCloseHooks.push(forget);
