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
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMMANDS, GOLDEN, haveUboot, UBOOT_DIR, KERNEL, KERNEL_COMMANDS, KERNEL_GOLDEN, normalise, runProcessSession, runQemuSession, runSaltySession, SessionKernel, UBOOT_BIN, ubootMissingReason } from './uboot-session';

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

describe.skipIf(!haveUboot())('U-Boot with -drive if=pflash (its environment in flash bank 1)', () => {
  it('saveenv writes the image file as QEMU writes it (the same bytes), and the file must be 64 MiB', async () => {
    if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
    const golden = readFileSync(GOLDEN, 'utf8');
    if (!goldenMatchesBinary(golden.split('\n'))) return console.log('uboot: the downloaded U-Boot is not the golden\'s build: not compared');
    const dir = mkdtempSync(join(tmpdir(), 'salty-pflash-'));
    const img = join(dir, 'env.img');
    writeFileSync(img, new Uint8Array(0));
    truncateSync(img, 64 << 20);
    const args = [SALTY, 'boot', '-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-bios', UBOOT_BIN, '-drive', `if=pflash,format=raw,unit=1,file=${img}`, '--timeout', '200'];
    const out = normalise(await runProcessSession(process.execPath, args, ['setenv foo bar', 'saveenv', 'poweroff'], 220_000));
    expect(out).toContain('Erased 2 sectors');
    const hash = createHash('sha256').update(readFileSync(img)).digest('hex');
    expect(hash).toBe(readFileSync(join(UBOOT_DIR, 'goldens', 'pflash-env.sha256'), 'utf8').trim());
    truncateSync(img, 1 << 20);
    const r = spawnSync(process.execPath, [...args.slice(0, -2), '--timeout', '5'], { encoding: 'utf8' });
    expect(r.stderr).toContain('device requires 67108864 bytes, block backend provides 1048576 bytes');
    const both = spawnSync(process.execPath, [SALTY, 'boot', '-bios', UBOOT_BIN, '-drive', `if=pflash,format=raw,file=${img}`], { encoding: 'utf8' });
    expect(both.stderr).toContain('cannot use both options at once');
  }, 240_000);
});
