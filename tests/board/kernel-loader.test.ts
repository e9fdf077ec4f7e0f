import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { KernelImageError, loadKernel } from '../../board/virt/kernel-loader';
import { BAREMETAL } from './boot-harness';

const MIB = 1024 * 1024;
const tree = () => Uint8Array.of(0xd0, 0x0d, 0xfe, 0xed);

function rawImage(textOffset: number, imageSize: number, length = 4096): Uint8Array {
  const b = new Uint8Array(length);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x14000000, true); // b .
  v.setUint32(8, textOffset, true);
  v.setUint32(16, imageSize, true);
  v.setUint32(56, 0x644d5241, true);
  return b;
}

describe('loading like -kernel', () => {
  it('puts an ELF at its addresses with x0 = 0 and the tree at RAM only below the image', () => {
    const phys = new PhysicalMemory(0x4000_0000, 64 * MIB);
    const elf = readFileSync(join(BAREMETAL, 'dtb.elf'));
    const boot = loadKernel(phys, elf, { fileName: 'dtb.elf', deviceTree: tree });
    expect(boot).toMatchObject({ entry: 0x4010_0000, x0: 0, dtbAddress: 0x4000_0000 });
    expect(phys.read32(0x4000_0000)).toBe(0xedfe0dd0);
    expect(phys.read32(0x4010_0000)).toBe(new DataView(elf.buffer, elf.byteOffset).getUint32(0x1000, true));
    const low = new PhysicalMemory(0x4000_0000, 64 * MIB);
    expect(loadKernel(low, readFileSync(join(BAREMETAL, 'dtb-low.elf')), { fileName: 'x', deviceTree: tree }).dtbAddress).toBeNull();
    expect(low.read32(0x4000_0000)).toBe(0);
  });

  it('puts a raw Image at RAM + text_offset, 0x80000 when image_size is 0, with the tree 2 MiB aligned above', () => {
    const phys = new PhysicalMemory(0x4000_0000, 64 * MIB);
    const boot = loadKernel(phys, rawImage(0x20_0000, 0x1000), { fileName: 'Image', deviceTree: tree });
    expect(boot.entry).toBe(0x4020_0000);
    // The initrd slot is RAM + min(RAM/2, 128M); with no initrd the tree goes there.
    expect(boot.x0).toBe(0x4200_0000);
    expect(loadKernel(new PhysicalMemory(0x4000_0000, 64 * MIB), rawImage(0x20_0000, 0), { fileName: 'Image', deviceTree: tree }).entry).toBe(0x4008_0000);
  });

  it('loads a file with neither ELF nor Image header as raw code at RAM + 0x80000, as QEMU runs kvm-unit-tests .flat files', () => {
    const phys = new PhysicalMemory(0x4000_0000, 64 * MIB);
    const raw = new Uint8Array([0x00, 0x00, 0x00, 0x14, 1, 2, 3, 4]); // b . and four bytes
    const boot = loadKernel(phys, raw, { fileName: 'x.flat', deviceTree: tree });
    expect(boot.entry).toBe(0x4008_0000);
    expect(phys.read32(0x4008_0004)).toBe(0x04030201);
    expect(boot.x0).toBe(boot.dtbAddress);
    expect(boot.x0).toBe(0x4200_0000);
  });

  it('gives one-line errors for files it cannot boot', () => {
    const phys = new PhysicalMemory(0x4000_0000, 4 * MIB);
    expect(() => loadKernel(phys, new Uint8Array(0), { fileName: 'f', deviceTree: tree })).toThrow(KernelImageError);
    expect(() => loadKernel(phys, rawImage(0x80000, 0x1000, 8 * MIB), { fileName: 'big', deviceTree: tree })).toThrow(/do not fit in RAM/);
    const hello = readFileSync(join(__dirname, '..', 'fixtures', 'loader', 'hello-nostdlib-aarch64.elf'));
    expect(() => loadKernel(phys, hello, { fileName: 'hello', deviceTree: tree })).toThrow(/outside RAM/);
  });
});
