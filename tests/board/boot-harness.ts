// Boots a bare-metal image on the virt board with the console captured, as the tests compare it with QEMU.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoardState, VirtBoard, VirtBoardOptions } from '../../board/virt/virt-board';

export const BAREMETAL = join(__dirname, '..', 'fixtures', 'baremetal');

export interface BootResult {
  stdout: string;
  stderr: string;
  state: BoardState;
  board: VirtBoard;
}

export interface BootOptions {
  semihosting?: boolean;
  budget?: number;
  ramSize?: number;
  initrd?: Uint8Array;
  append?: string;
  gicVersion?: 2 | 3;
  /** -smp */
  cpus?: number;
  /** Bytes for the UART, as if typed before the guest started. */
  input?: string;
  virtio?: VirtBoardOptions['virtio'];
}

export function bootImage(name: string, o: BootOptions = {}): BootResult {
  const file = join(BAREMETAL, `${name}.elf`);
  return bootBytes(file, readFileSync(file), o);
}

export function bootBytes(fileName: string, bytes: Uint8Array, o: BootOptions = {}): BootResult {
  let stdout = '';
  let stderr = '';
  const decoder = new TextDecoder();
  const board = new VirtBoard({
    ramSize: o.ramSize ?? 128 * 1024 * 1024,
    semihosting: o.semihosting,
    console: {
      write: (b) => (stdout += decoder.decode(b)),
      writeErr: (b) => (stderr += decoder.decode(b)),
      readChar: () => -1,
    },
    rtcStartSeconds: 1_700_000_000,
    seed: new Uint8Array(40),
    gicVersion: o.gicVersion,
    cpus: o.cpus,
    virtio: o.virtio,
  });
  board.load(bytes, { fileName, initrd: o.initrd, append: o.append });
  if (o.input !== undefined) board.pushInput(new TextEncoder().encode(o.input));
  const state = board.run(o.budget ?? 50_000_000);
  return { stdout, stderr, state, board };
}

export function golden(name: string): string {
  return readFileSync(join(BAREMETAL, `${name}.golden.txt`), 'utf8');
}
