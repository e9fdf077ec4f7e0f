// `salty boot -bios FILE` and QEMU's other spellings, through the built bundle:
// raw firmware in flash bank 0 runs from address 0 as under
// `qemu-system-aarch64 -M virt -cpu cortex-a57 -nographic -bios FILE` (golden).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const BAREMETAL = join(process.cwd(), 'tests/fixtures/baremetal');

function salty(...args: string[]) {
  const r = spawnSync(process.execPath, [SALTY, 'boot', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('salty boot -bios', () => {
  beforeAll(() => {
    if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
  });

  it('runs raw firmware from flash at 0 with the device tree at the start of RAM, as QEMU does', () => {
    const r = salty('-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-bios', join(BAREMETAL, 'bios.bin'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'bios.golden.txt'), 'utf8'));
    expect(r.status).toBe(0);
  });

  it('runs from flash whose storage lies 2 GiB into the memory (-m 2G), and says how much RAM fits beside the flash', () => {
    const r = salty('-m', '2G', '-bios', join(BAREMETAL, 'bios.bin'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'bios.golden.txt'), 'utf8'));
    const big = salty('-m', '4G', '-bios', join(BAREMETAL, 'bios.bin'));
    expect(big.status).toBe(1);
    expect(big.stderr).toBe('salty: -m 4G: at most 3968M of RAM with firmware, which runs from the two 64M flash banks beside RAM in one 4 GiB WebAssembly memory\n');
  });

  it('boots a kernel at -m 4G (RAM fills the memory; the flash banks are devices only), and says so for an image linked into flash', () => {
    const r = salty('-m', '4G', '-kernel', join(BAREMETAL, 'dtb-image.bin'), '-append', 'console=ttyAMA0 salty', '-initrd', join(BAREMETAL, 'initrd.txt'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('reg <0x0 0x40000000 0x0 0xfff90000>');
    const pie = salty('-m', '4G', '-kernel', join(BAREMETAL, 'pie.elf'));
    expect(pie.status).toBe(1);
    expect(pie.stderr).toBe(`salty: ${join(BAREMETAL, 'pie.elf')}: segment at physical 0x0 (0x292 bytes) is outside RAM 0x40000000-0x13ff90000 (with RAM this large the flash banks are devices only and hold no code)\n`);
  });

  it('with a kernel too, still runs the firmware (the kernel waits in fw_cfg)', () => {
    const r = salty('-bios', join(BAREMETAL, 'bios.bin'), '-kernel', join(BAREMETAL, 'pie.elf'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'bios.golden.txt'), 'utf8'));
  });

  it("takes QEMU's -kernel, -initrd and -append spellings", () => {
    const r = salty('-M', 'virt', '-cpu', 'cortex-a57', '-nographic', '-kernel', join(BAREMETAL, 'dtb-image.bin'), '-append', 'console=ttyAMA0 salty', '-initrd', join(BAREMETAL, 'initrd.txt'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'dtb-image.golden.txt'), 'utf8'));
  });

  it('takes -kernel as the IMAGE', () => {
    const r = salty('-kernel', join(BAREMETAL, 'pie.elf'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'pie.golden.txt'), 'utf8'));
  });

  it('refuses firmware larger than a flash bank and another CPU, in one line', () => {
    const big = join(mkdtempSync(join(tmpdir(), 'salty-bios-')), 'big.bin');
    writeFileSync(big, new Uint8Array(64 * 1024 * 1024 + 4));
    const tooBig = salty('-bios', big);
    expect(tooBig.status).toBe(1);
    expect(tooBig.stderr).toBe(`salty: ${big}: 67108868 bytes do not fit in the 67108864-byte flash bank\n`);
    const cpu = salty('-cpu', 'cortex-a53', '-bios', join(BAREMETAL, 'bios.bin'));
    expect(cpu.stderr.split('\n')[0]).toBe('salty: boot: -cpu cortex-a53: this board models cortex-a57 only');
  });
});
