// `salty boot` as a user meets it: the built bundle, exit statuses, Ctrl-C, timeout, one-line errors.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const BAREMETAL = join(process.cwd(), 'tests/fixtures/baremetal');

function salty(...args: string[]) {
  return saltyWithInput('', ...args);
}

function saltyWithInput(input: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [SALTY, ...args], { encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A raw arm64 Image whose only instruction is `b .`: it never stops by itself. */
function spinningImage(): string {
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x14000000, true);
  v.setUint32(8, 0x80000, true);
  v.setUint32(16, 4096, true);
  v.setUint32(56, 0x644d5241, true);
  const file = join(mkdtempSync(join(tmpdir(), 'salty-boot-')), 'Image');
  writeFileSync(file, b);
  return file;
}

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('salty boot', () => {
  it('--gic 3 gives the image a GICv3 and its system-register interface', () => {
    const r = salty('boot', '--gic', '3', join(BAREMETAL, 'gic3.elf'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'gic3.golden.txt'), 'utf8'));
    expect(r.status).toBe(0);
  });

  it('boots a kernel linked in the upper half at its physical addresses', () => {
    const r = salty('boot', join(BAREMETAL, 'highhalf.elf'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'highhalf.golden.txt'), 'utf8'));
    expect(r.status).toBe(0);
  });

  it('prints the UART output of an image and exits 0 when it powers off', () => {
    const r = salty('boot', join(BAREMETAL, 'timer.elf'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'timer.golden.txt'), 'utf8'));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('passes on the semihosting exit status, and -m, --append, --initrd reach the guest', () => {
    expect(salty('boot', '--semihosting', join(BAREMETAL, 'semihost.elf')).status).toBe(42);
    const r = salty('boot', '-m', '128M', '--append', 'console=ttyAMA0 salty', '--initrd', join(BAREMETAL, 'initrd.txt'), join(BAREMETAL, 'dtb-image.bin'));
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\r/g, '')).toBe(readFileSync(join(BAREMETAL, 'dtb-image.golden.txt'), 'utf8'));
  });

  it('feeds stdin to the UART, and says so when the guest waits for input that cannot come', () => {
    const r = saltyWithInput('hello, board\nq', 'boot', join(BAREMETAL, 'echo.elf'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'echo.golden.txt'), 'utf8'));
    expect(r.status).toBe(0);
    const stuck = saltyWithInput('abc', 'boot', join(BAREMETAL, 'echo.elf'));
    expect(stuck.stdout).toBe('echo ready\nABC');
    expect(stuck.stderr).toBe('salty: the guest waits for an interrupt and nothing can raise one\n');
    expect(stuck.status).toBe(1);
  });

  it('stops a guest that never powers off after --timeout, with status 124', () => {
    const r = salty('boot', '--timeout', '0.5', spinningImage());
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/^salty: timeout/);
  });

  it('--timeout also stops a fault loop: a raw binary of zeros (UDF) with VBAR_EL1 = 0 retires no instruction', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'salty-boot-')), 'zeros.bin');
    writeFileSync(file, new Uint8Array(4096));
    const r = salty('boot', '--timeout', '0.5', file);
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/^salty: timeout/);
  });

  it('stops on Ctrl-C (SIGINT) with status 130', async () => {
    const child = spawn(process.execPath, [SALTY, 'boot', spinningImage()], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Node takes over a second to start the bundle on a loaded machine; a SIGINT before salty's handler is in place kills it outright.
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGINT');
    const status = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    expect(status).toBe(130);
    expect(stderr).toMatch(/^salty: interrupted: pc=0x4008000[04] el=1 /);
  });

  it('gives one line for a bad image, a missing file or a bad option', () => {
    for (const args of [['boot', 'tests'], ['boot', '/nonexistent/image'], ['boot', '-m', '12Q', 'x'], ['boot', join(process.cwd(), 'tests/fixtures/loader/hello-nostdlib-x86_64.elf')]]) {
      const r = salty(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(salty('boot', '--gic', '4', 'x').stderr).toMatch(/--gic expects 2 or 3/);
    expect(salty('boot', '-smp', '2', 'x').stderr).toMatch(/^salty: boot: -smp 2: this board has one CPU/);
    expect(salty('boot', '-machine', 'virt,mte=on', 'x').stderr).toMatch(/not mte=on/);
  });

  it("takes QEMU's spellings -machine virt,gic-version=3 and -smp 1", () => {
    const r = salty('boot', '-machine', 'virt,gic-version=3', '-smp', '1', join(BAREMETAL, 'gic3.elf'));
    expect(r.stdout).toBe(readFileSync(join(BAREMETAL, 'gic3.golden.txt'), 'utf8'));
    expect(r.status).toBe(0);
  });
});
