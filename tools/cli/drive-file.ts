// A raw disk image file behind a virtio-blk device: reads and writes go to the
// file as QEMU's do (FLUSH is fdatasync); snapshot=on keeps writes in memory.

import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { type BlockBackend, SnapshotBackend } from '../../board/virt/block-backend';
import { VirtioBlk } from '../../board/virt/virtio-blk';
import type { VirtioDevice } from '../../board/virt/virtio-device';
import { VirtioRng } from '../../board/virt/virtio-rng';
import type { DriveSpec, VirtioArgs } from './boot-drive-args';

export class DriveFileError extends Error {}

export class FileBackend implements BlockBackend {
  readonly size: number;
  private fd: number;

  constructor(readonly file: string, readonly readOnly: boolean) {
    try {
      this.fd = openSync(file, readOnly ? 'r' : 'r+');
      this.size = fstatSync(this.fd).size;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new DriveFileError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied (readonly=on or snapshot=on reads it only)' : (e as Error).message}`);
    }
  }

  read(offset: number, dst: Uint8Array): boolean {
    try {
      let done = 0;
      while (done < dst.length) {
        const n = readSync(this.fd, dst, done, dst.length - done, offset + done);
        if (n === 0) {
          dst.fill(0, done);
          break;
        }
        done += n;
      }
      return true;
    } catch {
      return false;
    }
  }

  write(offset: number, src: Uint8Array): boolean {
    try {
      let done = 0;
      while (done < src.length) done += writeSync(this.fd, src, done, src.length - done, offset + done);
      return true;
    } catch {
      return false;
    }
  }

  flush(): boolean {
    try {
      fdatasyncSync(this.fd);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

function backend(d: DriveSpec, snapshotAll: boolean, opened: FileBackend[]): BlockBackend {
  const snapshot = d.snapshot || snapshotAll;
  const f = new FileBackend(d.file, d.readOnly || snapshot);
  opened.push(f);
  return snapshot && !d.readOnly ? new SnapshotBackend(f) : f;
}

/** The board's virtio devices for these options, and a close() for their files. */
export function openVirtioDevices(args: VirtioArgs): { devices: VirtioDevice[]; close(): void } {
  const opened: FileBackend[] = [];
  try {
    const devices = args.devices.map((d): VirtioDevice => (d.kind === 'rng' ? new VirtioRng() : new VirtioBlk(backend(d.drive, args.snapshot, opened), { serial: d.serial })));
    return { devices, close: () => opened.forEach((f) => f.close()) };
  } catch (e) {
    opened.forEach((f) => f.close());
    throw e;
  }
}

/** openVirtioDevices, with a file that cannot be opened reported through `say` (then undefined). */
export function openVirtioDevicesOrSay(args: VirtioArgs, say: (message: string) => void): ReturnType<typeof openVirtioDevices> | undefined {
  try {
    return openVirtioDevices(args);
  } catch (e) {
    if (!(e instanceof DriveFileError)) throw e;
    say(e.message);
    return undefined;
  }
}
