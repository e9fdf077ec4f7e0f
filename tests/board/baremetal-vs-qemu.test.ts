// Our own bare-metal images (tests/fixtures/baremetal) on the virt board, their
// UART output compared line for line with what qemu-system-aarch64 7.2 printed
// (golden files), and with a live QEMU run when it is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAREMETAL, bootImage, golden } from './boot-harness';

function haveQemu(): boolean {
  return spawnSync('qemu-system-aarch64', ['--version']).status === 0;
}

function qemu(name: string, extra: string[] = []): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(
    'qemu-system-aarch64',
    ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', ...extra, '-kernel', join(BAREMETAL, `${name}.elf`)],
    { timeout: 30_000, encoding: 'utf8', input: '' },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function lines(text: string): string[] {
  return text.split('\n');
}

const POWER_OFF_IMAGES = ['dtb', 'dtb-low', 'mmu', 'timer'];

describe('bare-metal images against the QEMU golden output', () => {
  for (const name of POWER_OFF_IMAGES) {
    it(`${name}: same UART output, then PSCI SYSTEM_OFF`, () => {
      const r = bootImage(name);
      expect(lines(r.stdout)).toEqual(lines(golden(name)));
      expect(r.state).toEqual({ kind: 'off' });
      expect(r.stdout.endsWith('done\n')).toBe(true);
    });
  }

  it('semihost: console calls on stderr, SYS_WRITE on stdout, SYS_EXIT_EXTENDED status 42', () => {
    const r = bootImage('semihost', { semihosting: true });
    expect(lines(r.stdout)).toEqual(lines(golden('semihost')));
    expect(r.stderr).toBe(readFileSync(join(BAREMETAL, 'semihost.golden-stderr.txt'), 'utf8'));
    expect(r.state).toEqual({ kind: 'exit', status: 42 });
  });

  it('semihost without --semihosting: HLT is UNDEFINED and the image reports it', () => {
    const r = bootImage('semihost');
    expect(r.stdout).toMatch(/^unexpected exception kind=4\nesr=0x2000000\n/);
    expect(r.state).toEqual({ kind: 'off' });
  });

  it('the device tree is present only when the image leaves the first MiB of RAM free', () => {
    expect(golden('dtb')).toContain('fdt magic=0xd00dfeed');
    expect(golden('dtb-low')).toContain('fdt magic=0x0\n');
    expect(bootImage('dtb-low').board.boot?.dtbAddress).toBeNull();
    expect(bootImage('dtb').board.boot?.dtbAddress).toBe(0x4000_0000);
  });
});

describe.skipIf(!haveQemu())('bare-metal images against a live qemu-system-aarch64', () => {
  for (const name of POWER_OFF_IMAGES) {
    it(`${name}`, () => {
      const live = qemu(name);
      expect(lines(bootImage(name).stdout)).toEqual(lines(live.stdout));
    });
  }

  it('semihost', () => {
    const live = qemu('semihost', ['-semihosting']);
    const ours = bootImage('semihost', { semihosting: true });
    expect(ours.stdout).toBe(live.stdout);
    expect(ours.stderr).toBe(live.stderr);
    expect(live.status).toBe(42);
  });

});
