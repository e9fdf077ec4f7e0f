// `salty boot IMAGE [options]`: arguments, files and one-line errors around bootMachine.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ElfError } from '../../loader/elf-error';
import { KernelImageError } from '../../board/virt/kernel-loader';
import { FLASH_BANK_SIZE } from '../../board/virt/cfi-flash';
import { BOOT_USAGE, BootUsageError, parseBootArgs } from './boot-args';
import { bootMachine, processHost } from './boot-machine';
import { parseSize } from './size';

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

/** A kernel for firmware to load from fw_cfg: QEMU gunzips it first (for an AArch64 CPU). */
function firmwareKernel(bytes: Uint8Array, forFirmware: boolean): Uint8Array {
  if (!forFirmware || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch {
    return bytes; // not gzip after all: QEMU then passes the file as it is
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
    // RAM and the two flash banks share one WebAssembly memory of at most 4 GiB.
    if (memoryBytes > 2 ** 32 - 2 * FLASH_BANK_SIZE) return fail(`-m ${a.memory}: at most ${(2 ** 32 - 2 * FLASH_BANK_SIZE) / 2 ** 20}M of RAM fit beside the two 64M flash banks`);
    const firmware = a.bios === undefined ? undefined : { file: a.bios, bytes: readFile(a.bios) };
    const file = a.image ?? a.bios!;
    const bytes = a.image === undefined ? new Uint8Array(0) : firmwareKernel(readFile(a.image), firmware !== undefined);
    const initrd = a.initrd === undefined ? undefined : readFile(a.initrd);
    const host = processHost();
    try {
      return await bootMachine(
        { file, firmware, bytes, memoryBytes, semihosting: a.semihosting, initrd, append: a.append, timeoutSeconds: a.timeoutSeconds, wallClock: a.wallClock, gicVersion: a.gic },
        host,
      );
    } finally {
      host.close();
    }
  } catch (e) {
    if (e instanceof BootUsageError) return fail(`boot: ${e.message}\n${BOOT_USAGE.trimEnd()}`);
    if (e instanceof BootFailure || e instanceof ElfError || e instanceof KernelImageError) return fail(e.message);
    if (e instanceof Error && e.message.startsWith('-m ')) return fail(e.message);
    throw e;
  }
}
