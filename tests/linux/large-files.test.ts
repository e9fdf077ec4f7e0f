// Files of the writable layer past 256 MiB, as on Linux's tmpfs: their data
// lives in guest frames (kernel/vfs/file-pages.ts), so a hole costs nothing
// and a file may be far larger than RAM while it is sparse (LTP's
// sendfile09 writes a byte per MiB of a 4 GiB file). The limit is
// PAGED_FILE_MAX (2^53 less a block, where Linux's is 2^63 - 1); a layer
// without frames keeps its data in one host buffer and stops at MEM_FILE_MAX.

import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { MEM_FILE_MAX, O_RDWR, PAGED_FILE_MAX, RegularFile } from '../../kernel/vfs/open-file';

const io = { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false };
const GiB = 2 ** 30;
const EFBIG = 27;

/** A system of 16 MiB of RAM whose writable layer may hold 5 GiB. */
function system(): LinuxSystem {
  return new LinuxSystem(new HostedKernel(16 << 20), { strace: false, io, root: null, rootSize: 5 * GiB });
}

const fsFrames = (sys: LinuxSystem): number => sys.kernel.mm.pmm.stats()['fs-data'];

function open(sys: LinuxSystem, path: string): RegularFile {
  return new RegularFile(path, O_RDWR, sys.fs.createFile(path, 0o644), sys.fs);
}

describe('large sparse files in the writable layer', () => {
  it('a 4 GiB file of one byte per 64 MiB holds one frame per byte written, and reads zeros between', () => {
    const sys = system();
    const f = open(sys, '/big');
    for (let i = 1; i <= 64; i++) expect(f.write(Uint8Array.of(0x43), i * 64 * 2 ** 20 - 1)).toBe(1);
    expect(f.attrs().size).toBe(4 * GiB);
    expect(fsFrames(sys)).toBe(64);
    expect(sys.fs.space.usedBlocks).toBe(64);
    expect([...(f.read(4, 3 * GiB - 2) as Uint8Array)]).toEqual([0, 0x43, 0, 0]);
    expect((f.read(1 << 20, 2 * GiB + 4096) as Uint8Array).every((b) => b === 0)).toBe(true);
    expect((f.read(16, 4 * GiB - 1) as Uint8Array).length).toBe(1);
  });

  it('a truncate far past RAM is free; past PAGED_FILE_MAX it is EFBIG, and so is a write there', () => {
    const sys = system();
    const f = open(sys, '/huge');
    expect(f.truncate(2 ** 50)).toBe(0);
    expect(f.attrs().size).toBe(2 ** 50);
    expect(fsFrames(sys)).toBe(0);
    expect(f.write(Uint8Array.of(1, 2), 2 ** 50 - 1)).toBe(2);
    expect(fsFrames(sys)).toBe(2);
    expect(f.truncate(PAGED_FILE_MAX + 1)).toBe(-EFBIG);
    expect(f.write(Uint8Array.of(1), PAGED_FILE_MAX)).toBe(-EFBIG);
    // A write that crosses the limit is cut short there, as Linux's generic_write_check_limits does.
    expect(f.write(new Uint8Array(8), PAGED_FILE_MAX - 3)).toBe(3);
    expect(f.attrs().size).toBe(PAGED_FILE_MAX);
    expect(f.truncate(0)).toBe(0);
    expect(fsFrames(sys)).toBe(0);
    expect(MEM_FILE_MAX).toBe(2 ** 28);
  });
});

describe('calls over a large sparse file cost what it holds, not its size', () => {
  it('SEEK_DATA/SEEK_HOLE, punching a hole and fallocate on a 2^50-byte file answer at once', async () => {
    const { nextData, nextHole } = await import('../../kernel/vfs/file-holes');
    const sys = system();
    const f = open(sys, '/wide');
    expect(f.truncate(2 ** 50)).toBe(0);
    expect(f.write(Uint8Array.of(7), 2 ** 49)).toBe(1);
    const t0 = Date.now();
    expect(nextData(f.inode, 2 ** 50, 0)).toBe(2 ** 49);
    expect(nextHole(f.inode, 2 ** 50, 2 ** 49)).toBe(2 ** 49 + 4096);
    expect(nextData(f.inode, 2 ** 50, 2 ** 49 + 4096)).toBe(null);
    expect(nextHole(f.inode, 2 ** 50, 0)).toBe(0);
    // fallocate of more than the layer holds: ENOSPC (28) without visiting every block.
    expect(f.allocate(0, 2 ** 50)).toBe(-28);
    expect(f.punchHole(0, 2 ** 50)).toBe(0);
    expect(fsFrames(sys)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
