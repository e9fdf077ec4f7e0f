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
  'pci header 00.01.00',
  'pci display.b 00.01.00 0 100',
  'md.b 0x3eff1000 0x20',
  'md.l 0x10004000 0x10',
  'md.l 0x10006000 4',
  'virtio scan',
  'virtio info',
  'dhcp',
  'ping 10.0.2.2',
  'saveenv',
  'md.l 0x4000000 0x10',
  'poweroff',
];

/**
 * The second session: a kernel, initrd and command line given beside -bios
 * wait in fw_cfg; U-Boot loads them with `qfw load` and boots the kernel with
 * booti (our dtb-image, an arm64 Image that prints the CPU state, the device
 * tree U-Boot hands over, and PSCI's answers).
 */
export const KERNEL_COMMANDS = [
  'qfw load ${kernel_addr_r} ${ramdisk_addr_r}',
  'md.b ${ramdisk_addr_r} 0x10',
  'printenv bootargs filesize',
  'booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}',
];
const BAREMETAL = join(UBOOT_DIR, '..', 'fixtures', 'baremetal');
export const KERNEL = { kernel: join(BAREMETAL, 'dtb-image.bin'), initrd: join(BAREMETAL, 'initrd.txt'), append: 'console=ttyAMA0 salty' };
export const KERNEL_GOLDEN = join(UBOOT_DIR, 'goldens', 'qfw-session.txt');

export interface SessionKernel {
  readonly kernel: string;
  readonly initrd: string;
  readonly append: string;
}

/** QEMU's command line for the same machine, the issue's own: its default virtio-net-pci card included. */
export const QEMU_ARGS = ['-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-bios'];

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

/** The transcript as compared: no CRs, the countdown, random seeds and DHCP's time masked, nothing after poweroff's line. */
export function normalise(raw: string): string[] {
  const lines = raw.replace(/\r/g, '').split('\n');
  const out: string[] = [];
  for (let line of lines) {
    line = line.replace(/^(Hit any key to stop autoboot:).*$/, '$1');
    line = line.replace(/^(\s*(?:rng-seed|kaslr-seed) = <).*(>;)$/, '$1random$2');
    line = line.replace(/^(DHCP client bound to address \S+) \(\d+ ms\)$/, '$1 (N ms)');
    out.push(line.replace(/\s+$/, ''));
    if (line.startsWith('poweroff ...') || line === 'done') break;
  }
  while (out.length > 0 && out[0] === '') out.shift();
  return out;
}

/** Runs the session on qemu-system-aarch64; resolves to the raw console output. */
export function runQemuSession(commands: readonly string[] = COMMANDS, k?: SessionKernel, timeoutMs = 60_000): Promise<string> {
  const extra = k === undefined ? [] : ['-kernel', k.kernel, '-initrd', k.initrd, '-append', k.append];
  return runProcessSession('qemu-system-aarch64', [...QEMU_ARGS, UBOOT_BIN, ...extra], commands, timeoutMs);
}

/** Runs the session on a process whose stdin and stdout are the console (qemu, or `salty boot`). */
export function runProcessSession(command: string, args: readonly string[], commands: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const script = new SessionScript(commands);
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not power off within ${timeoutMs} ms; output so far:\n${output}`));
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
export function runSaltySession(commands: readonly string[] = COMMANDS, k?: SessionKernel, budget = 4_000_000_000): { output: string; board: VirtBoard } {
  let output = '';
  const board = new VirtBoard({
    ramSize: 128 * 1024 * 1024,
    console: { write: (b) => (output += Buffer.from(b).toString('latin1')), writeErr: (b) => (output += Buffer.from(b).toString('latin1')), readChar: () => -1 },
    rtcStartSeconds: 1_700_000_000,
    seed: new Uint8Array(40),
    nics: [{}],
  });
  const kernel = k === undefined ? {} : { kernel: readFileSync(k.kernel), initrd: readFileSync(k.initrd), append: k.append };
  board.loadFirmware(readFileSync(UBOOT_BIN), { fileName: UBOOT_BIN, ...kernel });
  const script = new SessionScript(commands);
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
