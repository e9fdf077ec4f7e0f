// The modes of the host terminal behind the console (stdin, stdout, stderr
// and /dev/tty): the termios TCGETS reads and TCSETS writes. qemu-user passes
// these ioctls to the host, so a program that turns echo and canonical input
// off (readline, vi, less) gets a terminal that sends it each key; salty does
// the same through the host's ConsoleIo, and keeps the last mode set so that
// reading it back asks the host only once.

import type { ConsoleIo } from '../vfs/device';

/**
 * The kernel's struct termios (asm-generic termbits: four flag words, c_line, c_cc[19]: 36 bytes on arm64 and
 * x86_64). glibc's own 60-byte struct is not what TCGETS fills: writing 60 smashed tcgetattr's stack.
 */
export const KERNEL_TERMIOS_BYTES = 36;
/** Offsets in it. */
export const TERMIOS_LFLAG = 12;
export const TERMIOS_CC = 17;
export const TERMIOS_NCCS = 19;

/** A terminal in cooked mode, as a fresh Linux pty starts (iflag, oflag, cflag, lflag, line, cc). */
export function cookedTermios(): Uint8Array {
  const t = new Uint8Array(KERNEL_TERMIOS_BYTES);
  const v = new DataView(t.buffer);
  v.setUint32(0, 0x500, true); // ICRNL | IXON
  v.setUint32(4, 0x5, true); // OPOST | ONLCR
  v.setUint32(8, 0xbf, true); // B38400 | CS8 | CREAD
  v.setUint32(TERMIOS_LFLAG, 0x8a3b, true); // ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
  t.set([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22], TERMIOS_CC);
  return t;
}

export class TerminalModes {
  private current: Uint8Array | undefined;

  constructor(private readonly io: ConsoleIo) {}

  /** The termios of the terminal behind host fd `hostFd` (the host's at the first call, then the last set). */
  get(hostFd: number): Uint8Array {
    this.current ??= this.io.getTermios?.(hostFd) ?? cookedTermios();
    return this.current.slice();
  }

  /**
   * Sets it (TCSETS, TCSETSW, TCSETSF: output is never queued here, nor input read ahead). The same modes again
   * (a shell restoring its saved state after each command) do not ask the host, whose setting costs an stty.
   */
  set(hostFd: number, t: Uint8Array): void {
    const next = t.slice(0, KERNEL_TERMIOS_BYTES);
    if (this.current !== undefined && next.every((b, i) => b === this.current![i])) return;
    this.current = next;
    this.io.setTermios?.(hostFd, next);
  }
}
