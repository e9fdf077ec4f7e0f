// Debian's U-Boot for QEMU's arm64 virt board (u-boot-qemu, downloaded by
// fetch.sh at test time, never committed) as `-bios u-boot.bin`: the banner,
// autoboot stopped at `=>`, then version, bdinfo, fdt print /chosen (before
// and after `fdt addr`), dm tree, flinfo (the CFI geometry), pci, saveenv
// (block erase and buffered program into flash bank 1), md of what it wrote,
// and poweroff (PSCI), compared line for line with QEMU 7.2's transcript in
// goldens/session.txt (record-golden.sh), or with a live QEMU when the
// downloaded U-Boot is a newer build than the golden's.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN, haveUboot, normalise, runQemuSession, runSaltySession, UBOOT_BIN, ubootMissingReason } from './uboot-session';

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

/**
 * Until the virtio-mmio transports are on the board, QEMU's 32 virtio_mmio
 * lines in `dm tree` and its device count are the known difference.
 */
function withoutVirtio(lines: string[]): string[] {
  return lines.filter((l) => !/virtio_mmio@/.test(l)).map((l) => l.replace(/^Core: .*$/, 'Core: (device count differs: no virtio-mmio)'));
}

describe.skipIf(!haveUboot())(`U-Boot as -bios (${haveUboot() ? 'u-boot-qemu' : ubootMissingReason()})`, () => {
  it('reaches => and answers every command as on QEMU', async () => {
    const golden = readFileSync(GOLDEN, 'utf8').replace(/\n$/, '').split('\n');
    let want: string[];
    if (goldenMatchesBinary(golden)) want = golden;
    else if (haveQemu()) want = normalise(await runQemuSession());
    else return console.log('uboot: the downloaded U-Boot is not the golden\'s build and QEMU is absent: not compared');
    const { output, board } = runSaltySession();
    expect(board.state.kind, `salty's session ended ${board.state.kind}; output:\n${output}`).toBe('off');
    let got = normalise(output);
    expect(got).toContain('=> poweroff');
    const hasVirtio = (board as unknown as { virtioSlots?: unknown }).virtioSlots !== undefined;
    if (!hasVirtio) {
      want = withoutVirtio(want);
      got = withoutVirtio(got);
    }
    expect(got.join('\n')).toBe(want.join('\n'));
  }, 240_000);
});
