// The device tree salty writes at the start of RAM for -bios firmware, node by
// node and property by property against the one QEMU 7.2 writes then
// (goldens/qemu-virt-bios.dtb.gz, recorded by record-qemu-dtb.sh). Every
// difference must be one of KNOWN, each with its reason; the test prints them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VirtBoard } from '../../board/virt/virt-board';
import { parseDtb, ParsedNode } from './fdt-reader';

const KNOWN: Array<[RegExp, string]> = [
  [/^different \/chosen:(rng-seed|kaslr-seed)$/, 'random on every boot (lengths are compared)'],
];

function differences(ours: ParsedNode, theirs: ParsedNode, path: string, out: string[]): string[] {
  const p = path === '' ? '/' : path;
  for (const [k, v] of theirs.props) {
    const mine = ours.props.get(k);
    if (mine === undefined) out.push(`missing property ${p}:${k}`);
    else if (Buffer.compare(Buffer.from(mine), Buffer.from(v)) !== 0) out.push(k.endsWith('-seed') && mine.length === v.length ? `different ${p}:${k}` : `different ${p}:${k} (ours ${Buffer.from(mine).toString('hex')}, QEMU's ${Buffer.from(v).toString('hex')})`);
  }
  for (const k of ours.props.keys()) if (!theirs.props.has(k)) out.push(`extra property ${p}:${k}`);
  const sharedProps = [...theirs.props.keys()].filter((k) => ours.props.has(k));
  if (sharedProps.join() !== [...ours.props.keys()].filter((k) => theirs.props.has(k)).join()) out.push(`property order ${p}`);
  for (const c of theirs.children) {
    const mine = ours.children.find((o) => o.name === c.name);
    if (mine === undefined) out.push(`missing node ${path}/${c.name}`);
    else differences(mine, c, `${path}/${c.name}`, out);
  }
  for (const c of ours.children) if (!theirs.children.some((o) => o.name === c.name)) out.push(`extra node ${path}/${c.name}`);
  const sharedNodes = theirs.children.map((c) => c.name).filter((n) => ours.children.some((o) => o.name === n));
  if (sharedNodes.join() !== ours.children.map((c) => c.name).filter((n) => theirs.children.some((o) => o.name === n)).join()) out.push(`node order ${p}`);
  return out;
}

describe('the device tree for -bios firmware', () => {
  it("is QEMU's, node for node, but for the known differences", () => {
    const board = new VirtBoard({ ramSize: 128 * 1024 * 1024, console: { write: () => {}, writeErr: () => {}, readChar: () => -1 }, seed: new Uint8Array(40) });
    const boot = board.loadFirmware(Uint8Array.of(0, 0, 0, 0), { fileName: 'fw.bin' });
    expect(boot.dtbAddress).toBe(0x4000_0000);
    expect(board.cpu.pc).toBe(0);
    const ours = parseDtb(board.phys.readBytes(0x4000_0000, 1024 * 1024));
    const theirs = parseDtb(new Uint8Array(gunzipSync(readFileSync(join(__dirname, 'goldens', 'qemu-virt-bios.dtb.gz')))));
    expect(ours.header[1], 'totalsize: the 1 MiB buffer, as U-Boot\'s bdinfo shows').toBe(theirs.header[1]);
    const diffs = differences(ours.root, theirs.root, '', []);
    const unknown = diffs.filter((d) => !KNOWN.some(([re]) => re.test(d)));
    const known = KNOWN.map(([re, why]) => [why, diffs.filter((d) => re.test(d)).length] as const).filter(([, n]) => n > 0);
    console.log(`device tree vs QEMU -bios: ${diffs.length} differences, all known:\n${known.map(([why, n]) => `  ${n} x ${why}`).join('\n')}`);
    expect(unknown).toEqual([]);
  });
});
