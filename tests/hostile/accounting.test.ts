// The writable layer's accounting in process: every 4 KiB block a file
// holds is one 'fs-data' frame of the PMM, given back by truncate, punched
// holes and the death of the inode (its last name and last open file gone);
// memfd pages are charged to RAM outside the layer's size; and --audit's
// checks notice a frame left behind.

import { describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { auditAfterRun, recordBootFrames } from '../../kernel/linux/run-audit';
import { createMemfd } from '../../kernel/vfs/memfd';
import { O_RDWR, RegularFile } from '../../kernel/vfs/open-file';

const io = { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false };

function system(rootSize?: number): LinuxSystem {
  return new LinuxSystem(new HostedKernel(16 << 20), { strace: false, io, root: null, rootSize });
}

const fsFrames = (sys: LinuxSystem): number => sys.kernel.mm.pmm.stats()['fs-data'];

function open(sys: LinuxSystem, path: string): RegularFile {
  return new RegularFile(path, O_RDWR, sys.fs.createFile(path, 0o644), sys.fs);
}

describe('the writable layer charges guest memory', () => {
  it('one frame per block written; truncate and punched holes give frames back', () => {
    const sys = system();
    const f = open(sys, '/a');
    expect(f.write(new Uint8Array(10_000), 0)).toBe(10_000);
    expect(fsFrames(sys)).toBe(3);
    expect(f.write(new Uint8Array(1), 100 * 4096)).toBe(1); // a sparse write: one block more
    expect(fsFrames(sys)).toBe(4);
    expect(f.punchHole(0, 8192)).toBe(0);
    expect(fsFrames(sys)).toBe(2);
    expect(f.truncate(3 * 4096)).toBe(0); // block 2 stays, block 100 goes
    expect(fsFrames(sys)).toBe(1);
    expect(sys.fs.space.usedBlocks).toBe(1);
  });

  it('an unlinked file keeps its frames while open and gives them back at the last close', () => {
    const sys = system();
    const f = open(sys, '/b');
    f.write(new Uint8Array(8192), 0);
    expect(sys.fs.unlink('/b', false)).toBe(0);
    expect(fsFrames(sys)).toBe(2);
    expect(sys.fs.space.usedInodes).toBe(1);
    f.release();
    expect(fsFrames(sys)).toBe(0);
    expect(sys.fs.space.usedInodes).toBe(0);
  });

  it('a write that does not fit stops at the last block that does, then ENOSPC (28)', () => {
    const sys = system(3 * 4096);
    const f = open(sys, '/c');
    expect(f.write(new Uint8Array(5 * 4096), 0)).toBe(3 * 4096);
    expect(f.write(new Uint8Array(1), 3 * 4096)).toBe(-28);
    expect(f.write(new Uint8Array(1), 4095)).toBe(1); // within a block it holds
    expect(f.allocate(3 * 4096, 4 * 4096)).toBe(-28);
    expect(fsFrames(sys)).toBe(3);
  });

  it('a write that RAM cannot hold fails as an allocation does, keeping none of its frames', () => {
    const sys = system(64 << 20); // a layer larger than the 16 MiB of RAM
    const f = open(sys, '/d');
    expect(f.write(new Uint8Array(4096), 0)).toBe(4096);
    expect(() => f.write(new Uint8Array(32 << 20), 4096)).toThrow(/PMM: no free frame/);
    expect(fsFrames(sys)).toBe(1);
    expect(sys.fs.space.usedBlocks).toBe(1);
    expect(f.attrs().size).toBe(4096);
  });

  it('memfd pages are charged to RAM but not to the layer', () => {
    const sys = system(4096);
    const m = createMemfd(sys.fs, 'x', true);
    expect(m.write(new Uint8Array(5 * 4096), 0)).toBe(5 * 4096);
    expect(fsFrames(sys)).toBe(5);
    expect(sys.fs.space.usedBlocks).toBe(0);
    m.release();
    expect(fsFrames(sys)).toBe(0);
  });
});

describe('--audit', () => {
  it('passes on a system that ran nothing, and names a frame left behind', () => {
    const sys = system();
    recordBootFrames(sys);
    expect(auditAfterRun(sys)).toEqual([]);
    sys.kernel.mm.pmm.alloc('kernel-object');
    expect(auditAfterRun(sys)).toEqual(['kernel-object: 1 frames at the end, 0 at boot']);
  });
});
