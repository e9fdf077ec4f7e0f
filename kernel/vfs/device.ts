// Character devices: /dev/null, /dev/zero, /dev/full, /dev/urandom and the console.

import { hostRandomBytes } from '../host-random';
import { EPIPE } from './vfs-errno';

const ENOSPC = 28;

export interface Device {
  readonly name: string;
  readonly rdev: number;
  readonly isTty: boolean;
  /** A device number mknod named that no driver here answers: opening it gives ENXIO. */
  readonly noDriver?: boolean;
  /**
   * A console stream whose host end is not a terminal: an open file of it stats as a pipe, as the guest's
   * stdout captured by a pipe would under Linux (a pty's device number made glibc line-buffer it).
   */
  readonly pipeToHost?: boolean;
  /** The host's fd (0, 1, 2) behind a console stream or /dev/tty (whose terminal TIOCGWINSZ asks the size of). */
  readonly hostFd?: 0 | 1 | 2;
  /** Bytes read, null when a read would block (the console never does: it waits on the host), or a negative errno. */
  read(max: number): Uint8Array | null | number;
  write(data: Uint8Array): number;
}

export const nullDevice: Device = { name: 'null', rdev: 0x103, isTty: false, read: () => new Uint8Array(0), write: (d) => d.length };
export const zeroDevice: Device = { name: 'zero', rdev: 0x105, isTty: false, read: (n) => new Uint8Array(Math.min(n, 1 << 20)), write: (d) => d.length };
/** /dev/full: reads zeros, every write fails with ENOSPC. */
export const fullDevice: Device = { name: 'full', rdev: 0x107, isTty: false, read: (n) => new Uint8Array(Math.min(n, 1 << 20)), write: () => -ENOSPC };
export const urandomDevice: Device = {
  name: 'urandom',
  rdev: 0x109,
  isTty: false,
  read: (n) => hostRandomBytes(Math.min(n, 1 << 20)),
  write: (d) => d.length,
};

/** The host side of the guest's console (salty's own stdin, stdout and stderr). */
export interface ConsoleIo {
  writeOut(data: Uint8Array): void;
  writeErr(data: Uint8Array): void;
  /** Up to max bytes of standard input; an empty array at end of file. */
  readIn(max: number): Uint8Array;
  /** Is this host fd (0, 1, 2) a terminal? */
  isTty(fd: number): boolean;
  /** The size of the host terminal behind fd (0, 1, 2), as TIOCGWINSZ answers it; absent or undefined: 24 by 80. */
  windowSize?(fd: number): { readonly rows: number; readonly cols: number } | undefined;
  /** The modes (the kernel's 36-byte struct termios) of the host terminal behind fd; absent or undefined: a cooked terminal. */
  getTermios?(fd: number): Uint8Array | undefined;
  /** Puts the host terminal behind fd in the modes of `t` (TCSETS): raw input and no echo reach the real terminal. */
  setTermios?(fd: number, t: Uint8Array): void;
}

/** One of the console's three streams as a device. */
export function consoleDevice(io: ConsoleIo, fd: 0 | 1 | 2): Device {
  const tty = io.isTty(fd);
  return {
    name: fd === 0 ? 'stdin' : fd === 1 ? 'stdout' : 'stderr',
    rdev: 0x8800 + fd,
    hostFd: fd,
    isTty: tty,
    pipeToHost: !tty,
    read: (n) => (fd === 0 ? io.readIn(Math.min(n, 65536)) : new Uint8Array(0)),
    write: (d) => {
      try {
        if (fd === 2) io.writeErr(d);
        else io.writeOut(d);
      } catch (e) {
        // The host's reader is gone (`salty run prog | head`): EPIPE, and the writer gets SIGPIPE.
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') return -EPIPE;
        throw e;
      }
      return d.length;
    },
  };
}

/** /dev/tty: reads stdin, writes stderr's terminal; a terminal only when salty's stdin is one. */
export function ttyDevice(io: ConsoleIo): Device {
  return {
    name: 'tty',
    rdev: 0x500,
    hostFd: 0,
    isTty: io.isTty(0),
    read: (n) => io.readIn(Math.min(n, 65536)),
    write: (d) => {
      io.writeErr(d);
      return d.length;
    },
  };
}
