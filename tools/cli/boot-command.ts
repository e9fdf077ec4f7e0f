// `salty boot IMAGE [options]`: arguments, files and one-line errors around bootMachine.

import { readFileSync } from 'node:fs';
import { ElfError } from '../../loader/elf-error';
import { KernelImageError } from '../../board/virt/kernel-loader';
import { FLASH_BANK_SIZE } from '../../board/virt/cfi-flash';
import { BOOT_USAGE, BootUsageError, parseBootArgs } from './boot-args';
import { bootMachine, processHost } from './boot-machine';
import { DriveFileError, openVirtioDevicesOrSay } from './drive-file';
import { openFlashImages } from './pflash-file';
import { boardNics } from './boot-net-args';
import { parseSize } from './size';
import { KernelFileError, kernelBytes } from './kernel-file';

class BootFailure extends Error {}

function readFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new BootFailure(`${file}: ${why}`);
  }
}

/** Runs the command; resolves to the process exit status. Errors go to stderr as one line. */
export async function bootCommand(argv: readonly string[]): Promise<number> {
  const fail = (message: string): number => {
    process.stderr.write(`salty: ${message}\n`);
    return 1;
  };
  try {
    const a = parseBootArgs(argv);
    if (a.help) {
      process.stdout.write(BOOT_USAGE);
      return 0;
    }
    const memoryBytes = parseSize(a.memory);
    // Firmware comes from -bios, or is already in a -drive if=pflash image of bank 0 (as edk2 is given).
    const flash0 = a.virtio.pflash.find((f) => f.unit === 0)?.drive.file;
    // Firmware runs from flash: RAM and the two flash banks then share one WebAssembly memory of at most 4 GiB (docs/board.md).
    const beside = 2 ** 32 - 2 * FLASH_BANK_SIZE;
    if ((a.bios !== undefined || flash0 !== undefined) && memoryBytes > beside) return fail(`-m ${a.memory}: at most ${beside / 2 ** 20}M of RAM with firmware, which runs from the two 64M flash banks beside RAM in one 4 GiB WebAssembly memory`);
    const firmware = a.bios !== undefined ? { file: a.bios, bytes: readFile(a.bios) } : flash0 !== undefined ? { file: flash0, bytes: new Uint8Array(0) } : undefined;
    const file = a.image ?? firmware!.file;
    // Beside firmware the kernel goes to fw_cfg, gunzipped as for -kernel.
    const bytes = a.image === undefined ? new Uint8Array(0) : kernelBytes(a.image, readFile(a.image));
    const initrd = a.initrd === undefined ? undefined : readFile(a.initrd);
    const virtio = openVirtioDevicesOrSay(a.virtio, fail);
    if (virtio === undefined) return 1;
    let flash: ReturnType<typeof openFlashImages>;
    try {
      flash = openFlashImages(a.virtio, a.bios !== undefined);
    } catch (e) {
      virtio.close();
      if (e instanceof DriveFileError) return fail(e.message);
      throw e;
    }
    const host = processHost();
    try {
      return await bootMachine(
        { file, firmware, bytes, memoryBytes, semihosting: a.semihosting, initrd, append: a.append, timeoutSeconds: a.timeoutSeconds, wallClock: a.wallClock, gicVersion: a.gic, cpus: a.cpus, traceExceptions: a.traceExceptions, virtio: { devices: virtio.devices, legacy: a.virtio.legacy }, nics: boardNics(a.net), flashImages: flash.images, gdb: a.gdbPort === undefined ? undefined : { port: a.gdbPort, halt: a.haltAtStart ?? false } },
        host,
      );
    } finally {
      host.close();
      virtio.close();
      flash.close();
    }
  } catch (e) {
    if (e instanceof BootUsageError) return fail(`boot: ${e.message}\n${BOOT_USAGE.trimEnd()}`);
    if (e instanceof BootFailure || e instanceof KernelFileError || e instanceof ElfError || e instanceof KernelImageError) return fail(e.message);
    if (e instanceof Error && e.message.startsWith('-m ')) return fail(e.message);
    throw e;
  }
}
