import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDtb, cells, node, strings } from '../../board/virt/flattened-device-tree';
import { virtDeviceTree } from '../../board/virt/virt-device-tree';
import { cellsOf, child, parseDtb, ParsedNode, text } from './fdt-reader';

const MIB = 1024 * 1024;

function tree(extra: Partial<Parameters<typeof virtDeviceTree>[0]> = {}) {
  return parseDtb(virtDeviceTree({ ramSize: 256 * MIB, gicVersion: 2, seed: Uint8Array.from({ length: 40 }, (_, i) => i), ...extra }));
}

describe('flattened device tree writer', () => {
  it('writes a version 17 header, the reserve map terminator and each property name once', () => {
    const blob = buildDtb(node('', [['a', cells(1)], ['b', strings('x')]], [node('n@1', [['a', cells(2, 3)]])]), 4096);
    const { header, root } = parseDtb(blob);
    expect(header.slice(0, 7)).toEqual([0xd00dfeed, 4096, 64, header[3], 48, 17, 16]);
    expect(header[8]).toBe('a\0b\0'.length); // size_dt_strings
    expect(cellsOf(child(root, 'n@1')!.props.get('a')!)).toEqual([2, 3]);
    expect(text(root.props.get('b')!)).toEqual(['x']);
    expect(() => buildDtb(node('', [['big', new Uint8Array(5000)]]), 4096)).toThrow(/more than 4096/);
  });
});

describe('the virt device tree', () => {
  it('describes RAM, the UART with its SPI and the timer PPIs', () => {
    const { header, root } = tree();
    expect(header[1]).toBe(MIB);
    expect(cellsOf(child(root, 'memory@40000000')!.props.get('reg')!)).toEqual([0, 0x4000_0000, 0, 256 * MIB]);
    const uart = child(root, 'pl011@9000000')!;
    expect(cellsOf(uart.props.get('interrupts')!)).toEqual([0, 1, 4]);
    expect(text(child(root, 'chosen')!.props.get('stdout-path')!)).toEqual(['/pl011@9000000']);
    const ppis = cellsOf(child(root, 'timer')!.props.get('interrupts')!).filter((_, i) => i % 3 === 1);
    expect(ppis.map((p) => p + 16)).toEqual([29, 30, 27, 26]);
  });

  it('puts bootargs and the initrd in /chosen only when given', () => {
    expect(child(tree().root, 'chosen')!.props.has('bootargs')).toBe(false);
    const chosen = child(tree({ bootargs: 'quiet', initrd: { start: 0x4400_0000, end: 0x4400_1234 } }).root, 'chosen')!;
    expect(text(chosen.props.get('bootargs')!)).toEqual(['quiet']);
    expect(cellsOf(chosen.props.get('linux,initrd-start')!)).toEqual([0x4400_0000]);
    expect(cellsOf(chosen.props.get('linux,initrd-end')!)).toEqual([0x4400_1234]);
    expect([...chosen.props.keys()].slice(0, 3)).toEqual(['linux,initrd-end', 'linux,initrd-start', 'bootargs']);
  });

  it('describes a GICv3 with its redistributor when asked', () => {
    const intc = child(tree({ gicVersion: 3 }).root, 'intc@8000000')!;
    expect(text(intc.props.get('compatible')!)).toEqual(['arm,gic-v3']);
    expect(cellsOf(intc.props.get('reg')!)).toEqual([0, 0x0800_0000, 0, 0x1_0000, 0, 0x080a_0000, 0, 0xf6_0000]); // QEMU's whole redistributor region
  });

  const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;
  it.skipIf(!haveQemu).each([
    [2, 1],
    [2, 4],
    [3, 1],
    [3, 8],
  ] as const)("matches QEMU's own tree (dumpdtb) node for node where this board has the device: GICv%i, -smp %i", (gicVersion, cpus) => {
    const file = join(mkdtempSync(join(tmpdir(), 'salty-dtb-')), 'virt.dtb');
    const machine = `virt,gic-version=${gicVersion},dumpdtb=${file}`;
    const r = spawnSync('qemu-system-aarch64', ['-M', machine, '-cpu', 'cortex-a57', '-smp', String(cpus), '-m', '256', '-display', 'none', '-kernel', join(__dirname, '..', 'fixtures', 'baremetal', 'dtb.elf'), '-append', 'quiet'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    const theirs = parseDtb(new Uint8Array(readFileSync(file))).root;
    const ours = tree({ bootargs: 'quiet', gicVersion, cpus }).root;
    const compare = (a: ParsedNode, b: ParsedNode, path: string) => {
      for (const [k, v] of a.props) {
        if (k === 'rng-seed' || k === 'kaslr-seed') expect(b.props.get(k)?.length, `${path}:${k}`).toBe(v.length);
        else expect(b.props.get(k), `${path}:${k}`).toEqual(v);
      }
      expect([...a.props.keys()], path).toEqual([...b.props.keys()]);
      for (const c of a.children) {
        const other = child(b, c.name);
        expect(other, `${path}/${c.name}`).toBeDefined();
        compare(c, other!, `${path}/${c.name}`);
      }
    };
    compare(ours, theirs, '');
    // Their order of the nodes we share is ours.
    const shared = theirs.children.map((c) => c.name).filter((n) => child(ours, n) !== undefined);
    expect(ours.children.map((c) => c.name)).toEqual(shared);
  });
});
