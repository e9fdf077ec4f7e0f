// `salty boot`: builds the virt board, loads the image, and drives the board's
// run loop from the host's event loop so UART input, Ctrl-C and the timeout get in.

import { readSync, writeSync } from 'node:fs';
import { BoardConsole, BoardState, VirtBoard } from '../../board/virt/virt-board';
import { TIMER_FREQUENCY } from '../../board/virt/memory-map';
import { cpuReport, exceptionLine } from '../../board/virt/cpu-report';
import { bootUnderGdb, type BootGdbOptions } from '../gdb/boot-under-gdb';
import { attachFlashImage, type FlashImage } from '../../board/virt/flash-image';

export interface BootOptions {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly memoryBytes: number;
  readonly semihosting: boolean;
  readonly initrd?: Uint8Array;
  readonly append?: string;
  readonly timeoutSeconds?: number;
  readonly wallClock: boolean;
  readonly gicVersion?: 2 | 3;
  /** -smp: CPUs, 1 when absent. */
  readonly cpus?: number;
  /** -bios firmware (flash bank 0), run instead of the kernel; `bytes` (the kernel, when not empty), initrd and append go to fw_cfg. */
  readonly firmware?: { readonly file: string; readonly bytes: Uint8Array };
  readonly virtio?: ConstructorParameters<typeof VirtBoard>[0]['virtio'];
  readonly traceExceptions?: boolean;
  /** A gdb stub (-s, -S, -gdb tcp::PORT). */
  readonly gdb?: BootGdbOptions;
  /** -drive if=pflash images for the flash banks. */
  readonly flashImages?: readonly FlashImage[];
  /** The virtio-net-pci cards (QEMU's default NIC unless -nic none). */
  readonly nics?: ConstructorParameters<typeof VirtBoard>[0]['nics'];
}

/** The host side: terminal output, input events and the interrupt flag. */
export interface BootHost {
  writeOut(bytes: Uint8Array): void;
  writeErr(bytes: Uint8Array): void;
  /** Subscribes to input; returns false when there will never be any (stdin closed or not readable). */
  onInput(listener: (bytes: Uint8Array) => void, onEnd: () => void): void;
  readonly interrupted: () => boolean;
}

/** Instructions per run() call between visits to the host's event loop. */
const SLICE = 2_000_000;
const IDLE_POLL_MS = 20;

export const EXIT_TIMEOUT = 124;
export const EXIT_INTERRUPTED = 130;

class BufferedConsole implements BoardConsole {
  private pending: number[] = [];
  readonly input: number[] = [];

  constructor(private readonly host: BootHost) {}

  write(bytes: Uint8Array): void {
    for (const b of bytes) this.pending.push(b);
    if (this.pending.length >= 4096) this.flush();
  }

  writeErr(bytes: Uint8Array): void {
    this.flush();
    this.host.writeErr(bytes);
  }

  readChar(): number {
    const c = this.input.shift();
    if (c !== undefined) return c;
    const buf = Buffer.alloc(1);
    try {
      return readSync(0, buf, 0, 1, null) === 1 ? buf[0] : -1;
    } catch {
      return -1;
    }
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.host.writeOut(Uint8Array.from(this.pending));
    this.pending = [];
  }
}

function newBoard(o: BootOptions, console: BoardConsole): VirtBoard {
  const board = new VirtBoard({ ramSize: o.memoryBytes, console, semihosting: o.semihosting, wallClock: o.wallClock, gicVersion: o.gicVersion, cpus: o.cpus, virtio: o.virtio, nics: o.nics });
  for (const image of o.flashImages ?? []) attachFlashImage(board.flash[image.bank], image);
  if (o.firmware) board.loadFirmware(o.firmware.bytes, { fileName: o.firmware.file, kernel: o.bytes.length > 0 ? o.bytes : undefined, initrd: o.initrd, append: o.append });
  else board.load(o.bytes, { fileName: o.file, initrd: o.initrd, append: o.append });
  if (o.traceExceptions) board.cpu.onException = (cpu, kind, fromEl) => console.writeErr(Buffer.from(exceptionLine(cpu, kind, fromEl) + '\n'));
  return board;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Boots and runs the image; resolves to the exit status (the guest's, or 124 on timeout, 130 on Ctrl-C). */
export async function bootMachine(o: BootOptions, host: BootHost): Promise<number> {
  const console = new BufferedConsole(host);
  let board = newBoard(o, console);
  let inputEnded = false;
  host.onInput(
    (bytes) => {
      board.pushInput(bytes);
      board.resume();
    },
    () => (inputEnded = true),
  );
  const stopAt = o.timeoutSeconds === undefined ? Infinity : Date.now() + o.timeoutSeconds * 1000;
  const say = (text: string) => host.writeErr(Buffer.from(`salty: ${text}\n`));
  try {
    if (o.gdb !== undefined) {
      const check = () => {
        if (host.interrupted()) return EXIT_INTERRUPTED;
        return Date.now() >= stopAt ? EXIT_TIMEOUT : undefined;
      };
      return await bootUnderGdb(board, o.gdb, () => console.flush(), check);
    }
    for (;;) {
      const state: BoardState = board.run(SLICE);
      console.flush();
      switch (state.kind) {
        case 'off':
          return 0;
        case 'exit':
          return state.status;
        case 'cpu-off':
          say(o.cpus !== undefined && o.cpus > 1 ? 'every CPU turned itself off (PSCI CPU_OFF)' : 'the only CPU turned itself off (PSCI CPU_OFF)');
          return 0;
        case 'reset':
          board = newBoard(o, console);
          continue;
        case 'idle': {
          const ticks = board.ticksToNextEvent();
          if (ticks === Infinity && inputEnded) {
            say('the guest waits for an interrupt and nothing can raise one');
            return 1;
          }
          await sleep(Math.max(1, Math.min(IDLE_POLL_MS, ticks / (TIMER_FREQUENCY / 1000))));
          board.resume();
          break;
        }
        default:
          await yieldToHost();
      }
      if (host.interrupted()) {
        say(`interrupted: ${cpuReport(board.cpu)}`);
        return EXIT_INTERRUPTED;
      }
      if (Date.now() >= stopAt) {
        say(`timeout: the guest ran for ${o.timeoutSeconds} s without powering off: ${cpuReport(board.cpu)}`);
        return EXIT_TIMEOUT;
      }
    }
  } finally {
    console.flush();
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
}

/** The real terminal: stdout/stderr, stdin as UART input, SIGINT as Ctrl-C. */
export function processHost(): BootHost & { close(): void } {
  let interrupted = false;
  const onSigint = () => (interrupted = true);
  process.on('SIGINT', onSigint);
  return {
    writeOut: (b) => writeAll(1, b),
    writeErr: (b) => writeAll(2, b),
    onInput(listener, onEnd) {
      process.stdin.on('data', (chunk: Buffer) => listener(chunk));
      process.stdin.on('end', onEnd);
      process.stdin.on('error', onEnd);
    },
    interrupted: () => interrupted,
    close() {
      process.off('SIGINT', onSigint);
      process.stdin.pause();
      process.stdin.destroy();
    },
  };
}
