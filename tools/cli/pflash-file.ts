// `-drive if=pflash,file=IMG`: the image of a flash bank, read whole (QEMU
// requires exactly the bank's 64 MiB) and written back range by range as the
// guest erases and programs, unless readonly=on or snapshot=on.

import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { FLASH_BANK_SIZE } from '../../board/virt/cfi-flash';
import type { FlashImage } from '../../board/virt/flash-image';
import type { VirtioArgs } from './boot-drive-args';
import { DriveFileError } from './drive-file';

export function openFlashImages(args: VirtioArgs, withBios: boolean): { images: FlashImage[]; close(): void } {
  const fds: number[] = [];
  const close = () => fds.forEach((fd) => closeSync(fd));
  try {
    const images = args.pflash.map(({ unit, drive }): FlashImage => {
      if (unit === 0 && withBios) throw new DriveFileError('The contents of the first flash device may be specified with -bios or with -drive if=pflash... but you cannot use both options at once');
      const keep = drive.readOnly || drive.snapshot || args.snapshot;
      let fd: number;
      try {
        fd = openSync(drive.file, drive.readOnly ? 'r' : keep ? 'r' : 'r+');
      } catch (e) {
        throw new DriveFileError(`${drive.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
      fds.push(fd);
      const size = fstatSync(fd).size;
      if (size !== FLASH_BANK_SIZE) throw new DriveFileError(`${drive.file}: device requires ${FLASH_BANK_SIZE} bytes, block backend provides ${size} bytes`);
      const bytes = new Uint8Array(FLASH_BANK_SIZE);
      for (let done = 0; done < size; ) done += readSync(fd, bytes, done, size - done, done) || size;
      const written = keep ? undefined : (offset: number, length: number) => void writeSync(fd, bytes, offset, length, offset);
      return { bank: unit === 0 ? 0 : 1, bytes, readOnly: drive.readOnly, written };
    });
    return { images, close };
  } catch (e) {
    close();
    throw e;
  }
}
