// Debian's U-Boot for QEMU's arm64 virt board (u-boot-qemu, downloaded by
// fetch.sh at test time, never committed) as `-bios u-boot.bin`: the banner,
// autoboot stopped at `=>`, then version, bdinfo, fdt print /chosen (before
// and after `fdt addr`), dm tree, flinfo (the CFI geometry), pci, saveenv
// (block erase and buffered program into flash bank 1), md of what it wrote,
// and poweroff (PSCI), compared line for line with QEMU 7.2's transcript in
// goldens/session.txt (record-golden.sh), or with a live QEMU when the
// downloaded U-Boot is a newer build than the golden's. A second session
// gives a kernel, initrd and command line beside -bios: U-Boot takes them
// from fw_cfg and boots the kernel (goldens/qfw-session.txt).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMMANDS, GOLDEN, haveUboot, KERNEL, KERNEL_COMMANDS, KERNEL_GOLDEN, normalise, runProcessSession, runQemuSession, runSaltySession, SessionKernel, UBOOT_BIN, ubootMissingReason } from './uboot-session';

function haveQemu(): boolean {
  try {
    execFileSync('qemu-system-aarch64', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The golden is for this very build when its banner line is in the binary. */
function goldenMatchesBinary(golden: string[]): boolean {
  const banner = golden.find((l) => l.startsWith('U-Boot 20'));
  return banner !== undefined && readFileSync(UBOOT_BIN).includes(Buffer.from(banner));
}

async function compareSession(goldenFile: string, commands: readonly string[], lastCommand: string, kernel?: SessionKernel): Promise<void> {
  const golden = readFileSync(goldenFile, 'utf8').replace(/\n$/, '').split('\n');
  let want: string[];
  if (goldenMatchesBinary(golden)) want = golden;
  else if (haveQemu()) want = normalise(await runQemuSession(commands, kernel));
  else return console.log('uboot: the downloaded U-Boot is not the golden\'s build and QEMU is absent: not compared');
  const { output, board } = runSaltySession(commands, kernel);
  expect(board.state.kind, `salty's session ended ${board.state.kind}; output:\n${output}`).toBe('off');
  const got = normalise(output);
  expect(got).toContain(`=> ${lastCommand}`);
  expect(got.join('\n')).toBe(want.join('\n'));
}

const SALTY = join(process.cwd(), 'dist/salty.mjs');

describe.skipIf(!haveUboot())(`U-Boot as -bios (${haveUboot() ? 'u-boot-qemu' : ubootMissingReason()})`, () => {
  it('reaches => and answers every command as on QEMU', () => compareSession(GOLDEN, COMMANDS, 'poweroff'), 240_000);

  it('loads the kernel, initrd and command line from fw_cfg (qfw load) and boots it with booti, as on QEMU', () =>
    compareSession(KERNEL_GOLDEN, KERNEL_COMMANDS, KERNEL_COMMANDS[KERNEL_COMMANDS.length - 1], KERNEL), 240_000);

  it('through `salty boot -bios` with a gzipped kernel, typed on stdin: the same session (QEMU gunzips the kernel too)', async () => {
    if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
    const golden = readFileSync(KERNEL_GOLDEN, 'utf8').replace(/\n$/, '').split('\n');
    if (!goldenMatchesBinary(golden)) return console.log('uboot: the downloaded U-Boot is not the golden\'s build: not compared');
    const gz = join(mkdtempSync(join(tmpdir(), 'salty-uboot-')), 'Image.gz');
    writeFileSync(gz, gzipSync(readFileSync(KERNEL.kernel)));
    const args = [SALTY, 'boot', '-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-bios', UBOOT_BIN, '-kernel', gz, '--initrd', KERNEL.initrd, '--append', KERNEL.append, '--timeout', '200'];
    const output = await runProcessSession(process.execPath, args, KERNEL_COMMANDS, 220_000);
    expect(normalise(output).join('\n')).toBe(golden.join('\n'));
  }, 240_000);
});
