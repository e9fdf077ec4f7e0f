// salty boot's virtio options as qemu-system-aarch64 spells them, and the shorthand.
import { describe, expect, it } from 'vitest';
import { BootUsageError, parseBootArgs } from '../../tools/cli/boot-args';

const parse = (...argv: string[]) => parseBootArgs([...argv, 'Image']).virtio;

describe('salty boot -drive / -device / -global / -snapshot', () => {
  it('keeps the command-line order of devices (QEMU plugs them from the last slot down in that order)', () => {
    const v = parse('-device', 'virtio-rng-device', '-drive', 'if=none,id=a,file=a.img,format=raw', '-device', 'virtio-blk-device,drive=a,serial=S1', '--drive', 'b.img');
    expect(v.devices).toEqual([
      { kind: 'rng' },
      { kind: 'blk', drive: { file: 'a.img', id: 'a', snapshot: false, readOnly: false }, serial: 'S1' },
      { kind: 'blk', drive: { file: 'b.img', id: undefined, snapshot: false, readOnly: false } },
    ]);
    expect(v.legacy).toBe(true);
    expect(v.snapshot).toBe(false);
  });

  it('a -device may name a drive given after it, as QEMU creates drives first', () => {
    const v = parse('-device', 'virtio-blk-device,drive=d', '-drive', 'file=d.img,if=none,id=d,snapshot=on,readonly=on');
    expect(v.devices).toEqual([{ kind: 'blk', drive: { file: 'd.img', id: 'd', snapshot: true, readOnly: true }, serial: undefined }]);
  });

  it('-drive without if=none, -snapshot and -global virtio-mmio.force-legacy', () => {
    const v = parse('-drive', 'file=x.img,format=raw', '-snapshot', '-global', 'virtio-mmio.force-legacy=false');
    expect(v.devices).toHaveLength(1);
    expect(v.snapshot).toBe(true);
    expect(v.legacy).toBe(false);
    expect(parse('--global', 'virtio-mmio.force-legacy=on').legacy).toBe(true);
  });

  it('refuses what it does not model, with the reason', () => {
    const bad: Array<[string[], RegExp]> = [
      [['-drive', 'file=x.qcow2,format=qcow2'], /only format=raw/],
      [['-drive', 'file=x,if=ide'], /if=ide/],
      [['-drive', 'if=none,file=x'], /needs an id=/],
      [['-drive', 'format=raw'], /file= is missing/],
      [['-drive', 'file=x,aio=native'], /aio= is not supported/],
      [['-drive', 'file=x,snapshot=maybe'], /expected on or off/],
      [['-drive', 'if=none,id=a,file=x', '-drive', 'if=none,id=a,file=y'], /duplicate id a/],
      [['-device', 'virtio-blk-device'], /drive= is missing/],
      [['-device', 'virtio-blk-device,drive=zz'], /no -drive with id=zz/],
      [['-drive', 'if=none,id=a,file=x', '-device', 'virtio-blk-device,drive=a', '-device', 'virtio-blk-device,drive=a'], /used by two devices/],
      [['-device', 'virtio-net-device'], /only virtio-blk-device and virtio-rng-device/],
      [['-global', 'virtio-blk-device.serial=x'], /only virtio-mmio.force-legacy/],
    ];
    for (const [argv, message] of bad) expect(() => parse(...argv), argv.join(' ')).toThrow(message);
    expect(() => parse('-device', 'virtio-net-device')).toThrow(BootUsageError);
  });
});
