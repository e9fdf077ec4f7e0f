// Our own bare-metal images (tests/fixtures/baremetal) on the virt board, their
// UART output compared line for line with what qemu-system-aarch64 7.2 printed
// (golden files), and with a live QEMU run when it is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAREMETAL, bootBytes, bootImage, BootResult, golden } from './boot-harness';

function haveQemu(): boolean {
  return spawnSync('qemu-system-aarch64', ['--version']).status === 0;
}

function qemu(name: string, extra: string[] = [], ext = 'elf', input = ''): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(
    'qemu-system-aarch64',
    ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', ...extra, '-kernel', join(BAREMETAL, `${name}.${ext}`)],
    { timeout: 30_000, encoding: 'utf8', input },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function lines(text: string): string[] {
  return text.split('\n');
}

const POWER_OFF_IMAGES = ['dtb', 'dtb-low', 'mmu', 'timer', 'fp', 'highhalf', 'tlb', 'sysregs', 'debug', 'el0timer', 'idregs', 'fwcfg', 'flash', 'pie'];

describe('bare-metal images against the QEMU golden output', () => {
  for (const name of POWER_OFF_IMAGES) {
    it(`${name}: same UART output, then PSCI SYSTEM_OFF`, () => {
      const r = bootImage(name);
      expect(lines(r.stdout)).toEqual(lines(golden(name)));
      expect(r.state).toEqual({ kind: 'off' });
      expect(r.stdout.endsWith('done\n')).toBe(true);
    });
  }

  it('echo: UART receive interrupts through the GIC wake WFI; input echoed as QEMU echoed it', () => {
    const r = bootImage('echo', { input: 'hello, board\nq' });
    expect(lines(r.stdout)).toEqual(lines(golden('echo')));
    expect(r.state).toEqual({ kind: 'off' });
  });

  it('echo without input: the CPU idles in WFI with nothing armed', () => {
    const r = bootImage('echo');
    expect(r.stdout).toBe('echo ready\n');
    expect(r.state).toEqual({ kind: 'idle' });
  });

  it('gic3: the GICv3 distributor, redistributor and ICC_* CPU interface as QEMU shows them', () => {
    const r = bootImage('gic3', { gicVersion: 3 });
    expect(lines(r.stdout)).toEqual(lines(golden('gic3')));
    expect(r.state).toEqual({ kind: 'off' });
  });

  it('gic3 on a GICv2 board: ICC_* registers are UNDEFINED', () => {
    const r = bootImage('gic3');
    // As QEMU 7.2 with gic-version=2 prints it.
    expect(r.stdout).toBe('pfr0.gic=0x0\nunexpected exception kind=4 esr=0x2000000\n');
  });

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

  it('echo', () => {
    const live = qemu('echo', [], 'elf', 'typed\tinput\nq');
    expect(lines(bootImage('echo', { input: 'typed\tinput\nq' }).stdout)).toEqual(lines(live.stdout));
  });

  it('gic3', () => {
    const live = qemu('gic3', ['-M', 'virt,gic-version=3']);
    expect(lines(bootImage('gic3', { gicVersion: 3 }).stdout)).toEqual(lines(live.stdout));
  });

  it('semihost', () => {
    const live = qemu('semihost', ['-semihosting']);
    const ours = bootImage('semihost', { semihosting: true });
    expect(ours.stdout).toBe(live.stdout);
    expect(ours.stderr).toBe(live.stderr);
    expect(live.status).toBe(42);
  });
});

describe('a raw arm64 Image with --append and --initrd', () => {
  const image = readFileSync(join(BAREMETAL, 'dtb-image.bin'));
  const initrd = readFileSync(join(BAREMETAL, 'initrd.txt'));

  function bootRaw(): BootResult {
    return bootBytes('dtb-image.bin', image, { initrd, append: 'console=ttyAMA0 salty' });
  }

  it('is entered at RAM + text_offset with x0 = the device tree, placed after the initrd as QEMU places it', () => {
    const r = bootRaw();
    expect(r.board.boot).toMatchObject({ entry: 0x4008_0000, x0: 0x4420_0000, dtbAddress: 0x4420_0000, initrd: { start: 0x4400_0000, end: 0x4400_0000 + initrd.length } });
    expect(r.board.phys.readBytes(0x4400_0000, initrd.length)).toEqual(new Uint8Array(initrd));
  });

  it('prints what QEMU printed: bootargs and the initrd range in /chosen', () => {
    const r = bootRaw();
    expect(lines(r.stdout)).toEqual(lines(golden('dtb-image')));
    expect(r.stdout).toContain('bootargs "console=ttyAMA0 salty"');
  });

  it.skipIf(!haveQemu())('matches a live QEMU run', () => {
    const live = qemu('dtb-image', ['-append', 'console=ttyAMA0 salty', '-initrd', join(BAREMETAL, 'initrd.txt')], 'bin');
    expect(lines(bootRaw().stdout)).toEqual(lines(live.stdout));
  });
});
