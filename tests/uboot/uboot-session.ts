// Drives a U-Boot console session the same way on qemu-system-aarch64 and on
// salty's virt board: stop autoboot with a key when U-Boot offers it, then
// type one command at each `=> ` prompt; the transcript is normalised for
// comparison (no carriage returns, no countdown digits, no random seeds).

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtBoard } from '../../board/virt/virt-board';

/** This folder (a bundled recorder runs from the repository root). */
export const UBOOT_DIR = existsSync(join(__dirname, 'fetch.sh')) ? __dirname : join(process.cwd(), 'tests', 'uboot');
export const UBOOT_BIN = join(UBOOT_DIR, '.cache', 'root', 'usr', 'lib', 'u-boot', 'qemu_arm64', 'u-boot.bin');
export const GOLDEN = join(UBOOT_DIR, 'goldens', 'session.txt');

/** The commands typed at the prompt, in order (poweroff ends the session). */
export const COMMANDS = [
  'version',
  'bdinfo',
  'fdt print /chosen',
  'fdt addr ${fdtcontroladdr}',
  'fdt print /chosen',
  'dm tree',
  'flinfo',
  'pci',
  'saveenv',
  'md.l 0x4000000 0x10',
  'poweroff',
];

/** QEMU's command line for the same machine: -nic none, as salty has no PCI network card. */
export const QEMU_ARGS = ['-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-nic', 'none', '-bios'];

export function haveUboot(): boolean {
  return existsSync(UBOOT_BIN);
}

export function ubootMissingReason(): string {
  const f = join(UBOOT_DIR, '.cache', 'unavailable.txt');
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : 'run tests/uboot/fetch.sh to download u-boot-qemu';
}

/** Decides what to type, given everything the console printed so far. */
export class SessionScript {
  private stage = 0;
  private from = 0;

  constructor(private readonly commands: readonly string[] = COMMANDS) {}

  get done(): boolean {
    return this.stage > this.commands.length;
  }

  next(output: string): string | undefined {
    if (this.stage === 0) {
      const at = output.indexOf('Hit any key to stop autoboot');
      if (at < 0) return undefined;
      this.stage = 1;
      this.from = at;
      return ' ';
    }
    if (this.done) return undefined;
    const prompt = output.indexOf('=> ', this.from);
    if (prompt < 0) return undefined;
    this.from = prompt + 3;
    return this.commands[this.stage++ - 1] + '\n';
  }
}

/** The transcript as compared: no CRs, the countdown and random seeds masked, nothing after poweroff's line. */
export function normalise(raw: string): string[] {
  const lines = raw.replace(/\r/g, '').split('\n');
  const out: string[] = [];
  for (let line of lines) {
    line = line.replace(/^(Hit any key to stop autoboot:).*$/, '$1');
    line = line.replace(/^(\s*(?:rng-seed|kaslr-seed) = <).*(>;)$/, '$1random$2');
    out.push(line.replace(/\s+$/, ''));
    if (line.startsWith('poweroff ...')) break;
  }
  while (out.length > 0 && out[0] === '') out.shift();
  return out;
}

/** Runs the session on qemu-system-aarch64; resolves to the raw console output. */
export function runQemuSession(timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('qemu-system-aarch64', [...QEMU_ARGS, UBOOT_BIN], { stdio: ['pipe', 'pipe', 'pipe'] });
    const script = new SessionScript();
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`qemu did not power off within ${timeoutMs} ms; output so far:\n${output}`));
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString('latin1');
      for (let t = script.next(output); t !== undefined; t = script.next(output)) child.stdin.write(t);
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

/** Runs the session on salty's board in this process; the board's state at the end says how it stopped. */
export function runSaltySession(budget = 4_000_000_000): { output: string; board: VirtBoard } {
  let output = '';
  const board = new VirtBoard({
    ramSize: 128 * 1024 * 1024,
    console: { write: (b) => (output += Buffer.from(b).toString('latin1')), writeErr: (b) => (output += Buffer.from(b).toString('latin1')), readChar: () => -1 },
    rtcStartSeconds: 1_700_000_000,
    seed: new Uint8Array(40),
  });
  board.loadFirmware(readFileSync(UBOOT_BIN), { fileName: UBOOT_BIN });
  const script = new SessionScript();
  const start = board.cpu.retired;
  while (board.cpu.retired - start < budget) {
    const state = board.run(2_000_000);
    for (let t = script.next(output); t !== undefined; t = script.next(output)) {
      board.pushInput(Buffer.from(t, 'latin1'));
      board.resume();
    }
    if (state.kind !== 'running' && state.kind !== 'idle') break;
  }
  return { output, board };
}
