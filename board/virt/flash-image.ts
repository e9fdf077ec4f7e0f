// A drive behind a flash bank (-drive if=pflash): the bank starts with the
// drive's 64 MiB, and every erase or program is copied back into the drive's
// bytes and reported (the CLI writes it to the file), as QEMU's pflash writes
// to its block backend. A read-only drive makes the bank refuse erase and
// program with QEMU's status bits.

import { type CfiFlash, FLASH_BANK_SIZE } from './cfi-flash';

export interface FlashImage {
  /** 0: the bank at address 0 (where -bios goes); 1: the bank at 0x0400_0000. */
  readonly bank: 0 | 1;
  /** The drive's contents (FLASH_BANK_SIZE bytes), kept up to date. */
  readonly bytes: Uint8Array;
  readonly readOnly: boolean;
  /** Called after [offset, offset + length) of the drive changed. */
  readonly written?: (offset: number, length: number) => void;
}

export function attachFlashImage(flash: CfiFlash, image: FlashImage): void {
  if (image.bytes.length !== FLASH_BANK_SIZE) throw new Error(`a flash drive holds ${FLASH_BANK_SIZE} bytes, not ${image.bytes.length}`);
  flash.loadImage(image.bytes);
  flash.readOnly = image.readOnly;
  const before = flash.onChange;
  flash.onChange = (offset, length) => {
    before(offset, length);
    image.bytes.set(flash.storage.subarray(offset, offset + length), offset);
    image.written?.(offset, length);
  };
}
