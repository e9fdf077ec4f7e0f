// The walker against QEMU's own stage-1 walk: fixtures/walk-probe.elf runs at EL2
// and performs AT S1E1R/W and S1E0R/W for queries whose tables this test builds
// (loaded into the guest with -device loader). The raw PAR_EL1 values QEMU gave
// are committed as walk-probe.golden.txt; where QEMU is installed the test also
// runs the probe live. UPDATE_GOLDEN=1 rewrites the golden file from a live run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { walk } from '../../board/aarch64/mmu/walk';
import { faultStatusCode } from '../../board/aarch64/mmu/fault-status';
import { Perm, type Stage1Regs } from '../../board/aarch64/mmu/types';
import { createAarch64Mmu } from '../../kernel/arch/aarch64/mmu';
import { stage1Regs } from '../../kernel/arch/aarch64/translation-regime';
import { NO_TLB } from '../../kernel/arch/arch';
import { bumpFrames } from './bump-frames';
import { pageAttrsOfBits } from './page-attrs-combinations';
import { blockDesc, D, makeRegs, pageDesc, RAM_BASE, TableBuilder, tableDesc, writeDesc, type RegOptions } from './page-table-builder';

const FIXTURES = join(__dirname, 'fixtures');
const GOLDEN_PATH = join(FIXTURES, 'walk-probe.golden.txt');
const TABLES_PA = 0x4100_0000;
const TABLES_SIZE = 0x10_0000;
const QUERIES_PA = 0x4180_0000;

interface Query {
  label: string;
  regs: Stage1Regs;
  va: bigint;
}

const NORMAL_ATTRS = D.af | (3n << 8n);

/** One RAM image, its queries, and q: add a query through b's tables (in both TTBRs). */
function scenarioSet() {
  const mem = new PhysicalMemory(RAM_BASE, 32 * 1024 * 1024);
  const queries: Query[] = [];
  const q = (label: string, b: TableBuilder, va: bigint, o: RegOptions) =>
    queries.push({ label, va, regs: makeRegs({ ttbr0: b.root, ttbr1: b.root, mair: 0x04ffn, ...o }) });
  return { mem, queries, q };
}

/** Builds every scenario's tables in one RAM image and lists the queries. */
function scenarios(): { mem: PhysicalMemory; queries: Query[] } {
  const { mem, queries, q } = scenarioSet();

  // 4 KiB granule, 48-bit VA, 40-bit IPS
  const a = new TableBuilder(mem, 12, 48, BigInt(TABLES_PA));
  const A: RegOptions = { ips: 2 };
  a.set(0x40_0000n, 3, pageDesc(0x4000_1000n, NORMAL_ATTRS | D.ap(0b01)));
  a.set(0x40_1000n, 3, pageDesc(0x4000_2000n, D.af | D.ap(0b10) | D.attrIndx(1)));
  a.set(0x40_2000n, 3, pageDesc(0x4000_3000n, D.ap(0b01)));
  a.set(0x40_3000n, 3, pageDesc(0x100_0000_0000n, NORMAL_ATTRS));
  a.set(0x40_4000n, 3, blockDesc(0x4000_4000n, NORMAL_ATTRS));
  a.set(0x40_6000n, 3, pageDesc(0xff_ffff_f000n, NORMAL_ATTRS | D.ap(0b11) | D.nG));
  a.set(0x60_0000n, 2, blockDesc(0x4060_0000n, NORMAL_ATTRS | D.ap(0b11)));
  a.set(0x80_0000n, 2, blockDesc(0x4080_0000n, D.ap(0b01)));
  a.set(0x8000_0000n, 1, blockDesc(0xc000_0000n, NORMAL_ATTRS));
  a.set(0xc000_0000n, 1, blockDesc(0x4000_0000n, D.ap(0b01)));
  a.set(0x0100_0000_0000n, 0, blockDesc(0n, NORMAL_ATTRS));
  writeDesc(mem, a.slot(0x0200_0000_0000n, 1), tableDesc(0x100_0000_0000n));
  writeDesc(mem, a.slot(0x0300_0000_0000n, 2), tableDesc(0x5000_0000n)); // no RAM there
  a.set(0xffff_ffff_f000n, 3, pageDesc(0x4000_5000n, NORMAL_ATTRS));
  for (const [label, va] of [
    ['user RW page', 0x40_0abcn],
    ['EL1 RO device page', 0x40_1000n],
    ['AF=0 page', 0x40_2000n],
    ['page OA beyond IPS', 0x40_3000n],
    ['block type at level 3', 0x40_4000n],
    ['empty level-3 entry', 0x40_5000n],
    ['nG RO page at the IPS limit', 0x40_6000n],
    ['2 MiB block', 0x61_2345n],
    ['AF=0 2 MiB block', 0x80_0000n],
    ['1 GiB block', 0xbfff_f000n],
    ['AF=0 1 GiB block', 0xc000_0000n],
    ['empty level-1 entry', 0x1_0000_0000n],
    ['empty level-2 entry', 0xa0_0000n],
    ['empty level-0 entry', 0x0080_0000_0000n],
    ['block at level 0', 0x0100_0000_0000n],
    ['table beyond IPS at level 1', 0x0200_0000_0000n],
    ['table outside RAM', 0x0300_0000_0000n],
    ['beyond T0SZ', 0x0001_0000_0040_0000n],
    ['tagged, TBI0 = 0', 0x5a00_0000_0040_0000n],
    ['upper half through TTBR1', 0xffff_ffff_ffff_f000n],
    ['non-canonical upper', 0xff7f_ffff_ffff_f000n],
  ] as const) {
    q(label, a, va, A);
  }
  q('tagged, TBI0 = 1', a, 0x5a00_0000_0040_0000n, { ...A, tbi0: true });
  q('tagged upper, TBI1 = 1', a, 0x12ff_ffff_ffff_f000n, { ...A, tbi1: true });
  q('tagged upper, TBI0 = 1 only', a, 0x12ff_ffff_ffff_f000n, { ...A, tbi0: true });
  q('EPD0', a, 0x40_0000n, { ...A, epd0: true });
  q('EPD1', a, 0xffff_ffff_ffff_f000n, { ...A, epd1: true });
  q('IPS 32 bits, TTBR beyond it', a, 0x40_0000n, { ips: 0, ttbr0: 0x1_4100_0000n });
  q('IPS 36 bits, page at 2^40 - 4K', a, 0x40_6000n, { ips: 1 });

  // 4 KiB granule, 39-bit VA (start at level 1) and 25-bit VA (start at level 2)
  const b = new TableBuilder(mem, 12, 39, BigInt(TABLES_PA + 0x2_0000));
  b.set(0x7f_ffff_f000n, 3, pageDesc(0x4000_6000n, NORMAL_ATTRS));
  b.set(0x4000_0000n, 1, blockDesc(0x4000_0000n, NORMAL_ATTRS | D.ap(0b01)));
  q('T0SZ 25: top page', b, 0x7f_ffff_f000n, { t0sz: 25, ips: 2 });
  q('T0SZ 25: 1 GiB block', b, 0x7fff_ffffn, { t0sz: 25, ips: 2 });
  q('T0SZ 25: beyond', b, 0x80_0000_0000n, { t0sz: 25, ips: 2 });
  const c = new TableBuilder(mem, 12, 25, BigInt(TABLES_PA + 0x4_0000));
  c.set(0x1ff_f000n, 3, pageDesc(0x4000_7000n, NORMAL_ATTRS));
  c.set(0x0n, 2, blockDesc(0x4020_0000n, NORMAL_ATTRS));
  q('T0SZ 39: top page', c, 0x1ff_f000n, { t0sz: 39, ips: 2 });
  q('T0SZ 39: 2 MiB block', c, 0x1f_f000n, { t0sz: 39, ips: 2 });

  // 64 KiB granule: 48-bit VA (start at level 1) and 42-bit VA (start at level 2)
  const d = new TableBuilder(mem, 16, 48, BigInt(TABLES_PA + 0x6_0000));
  d.set(0x1234_0000n, 3, pageDesc(0x4001_0000n, NORMAL_ATTRS));
  d.set(0x2000_0000n, 2, blockDesc(0x2000_0000n, NORMAL_ATTRS));
  d.set(0x1235_0000n, 3, pageDesc(0x4002_0000n | 0x1000n, NORMAL_ATTRS));
  d.set(0x0400_0000_0000n, 1, blockDesc(0n, NORMAL_ATTRS));
  q('64K: page', d, 0x1234_9abcn, { tg0: 1, ips: 2 });
  q('64K: 512 MiB block', d, 0x3fff_f000n, { tg0: 1, ips: 2 });
  q('64K: OA[51:48] bits set', d, 0x1235_0000n, { tg0: 1, ips: 2 });
  q('64K: block at level 1', d, 0x0400_0000_0000n, { tg0: 1, ips: 2 });
  q('64K: upper half via TG1', d, 0xffff_0000_1234_0000n, { tg1: 3, t1sz: 16, ips: 2 });
  const e = new TableBuilder(mem, 16, 42, BigInt(TABLES_PA + 0xa_0000));
  e.set(0x3ff_fff0_0000n, 3, pageDesc(0x4003_0000n, NORMAL_ATTRS));
  q('64K T0SZ 22: top page', e, 0x3ff_fff0_0000n, { tg0: 1, t0sz: 22, ips: 2 });
  return { mem, queries };
}

/** 16 KiB granule scenarios: cortex-a57 has no 16K granule, so these run on QEMU's `max` CPU. */
function scenarios16k(): { mem: PhysicalMemory; queries: Query[] } {
  const { mem, queries, q } = scenarioSet();
  const f = new TableBuilder(mem, 14, 48, BigInt(TABLES_PA));
  f.set(0x0000_8123_4567_8000n, 3, pageDesc(0x4000_c000n, NORMAL_ATTRS | D.ap(0b01)));
  f.set(0x0200_0000n, 2, blockDesc(0x4200_0000n, NORMAL_ATTRS | D.ap(0b11)));
  f.set(0x0000_0010_0000_0000n, 1, blockDesc(0n, NORMAL_ATTRS));
  q('16K: block at level 1', f, 0x0000_0010_0000_0000n, { tg0: 2, tg1: 1, ips: 2 });
  f.set(0x4000n, 3, pageDesc(0x4000_4000n, D.ap(0b01)));
  f.set(0xffff_ffff_ffff_c000n, 3, pageDesc(0x4001_0000n, NORMAL_ATTRS));
  const G: RegOptions = { tg0: 2, tg1: 1, ips: 2 };
  q('16K: page (two-entry level 0)', f, 0x0000_8123_4567_bff8n, G);
  q('16K: 32 MiB block', f, 0x03ff_f000n, G);
  q('16K: AF=0 page', f, 0x4000n, G);
  q('16K: empty level-3 entry', f, 0x8000n, G);
  q('16K: empty level-1 entry', f, 0x0000_4000_0000_0000n, G);
  q('16K: upper half through TG1', f, 0xffff_ffff_ffff_c000n, G);
  const h = new TableBuilder(mem, 14, 47, BigInt(TABLES_PA + 0x8_0000));
  h.set(0x7fff_ffff_c000n, 3, pageDesc(0x4000_8000n, NORMAL_ATTRS));
  q('16K T0SZ 17: top page (start level 1)', h, 0x7fff_ffff_c000n, { tg0: 2, t0sz: 17, ips: 2 });
  q('16K T0SZ 17: beyond', h, 0x8000_0000_0000n, { tg0: 2, t0sz: 17, ips: 2 });
  const k = new TableBuilder(mem, 14, 36, BigInt(TABLES_PA + 0xa_0000));
  k.set(0xf_ffff_c000n, 3, pageDesc(0x4000_c000n, NORMAL_ATTRS));
  q('16K T0SZ 28: top page (start level 2)', k, 0xf_ffff_c000n, { tg0: 2, t0sz: 28, ips: 2 });
  return { mem, queries };
}

/**
 * Queries where QEMU 7.2 departs from the Arm ARM, which the walker follows: QEMU
 * accepts block descriptors above the granule's first block level (a level-0 block
 * with 4 KiB, a level-1 block with 64 KiB without FEAT_LPA); the architecture makes
 * them invalid (translation fault at that level).
 */
const QEMU_DEVIATIONS: Record<string, { qemu: string; arch: string }> = {
  'block at level 0': { qemu: 'pa:0 dev:0', arch: 'fault:4' },
  '64K: block at level 1': { qemu: 'pa:0 dev:0', arch: 'fault:5' },
  '16K: block at level 1': { qemu: 'pa:0 dev:0', arch: 'fault:5' },
};

/**
 * One AT outcome, normalised: "pa:<hex> dev:<0|1>" or "fault:<fsc>". QEMU raises an
 * external abort on a table walk as a Data Abort on the AT itself: its DFSC is used.
 */
function fromPar(text: string): string {
  if (text.startsWith('exc:')) return `fault:${(Number.parseInt(text.slice(4), 16) & 0x3f).toString(16)}`;
  const par = BigInt('0x' + text);
  if (par & 1n) return `fault:${Number((par >> 1n) & 0x3fn).toString(16)}`;
  const attr = Number(par >> 56n);
  return `pa:${(par & 0xffff_ffff_f000n).toString(16)} dev:${(attr & 0xf0) === 0 ? 1 : 0}`;
}

function fromWalker(mem: PhysicalMemory, query: Query): string[] {
  const lo = Number(query.va & 0xffff_ffffn);
  const hi = Number(query.va >> 32n);
  const r = walk(mem, query.regs, lo, hi);
  const need = [Perm.El1Read, Perm.El1Write, Perm.El0Read, Perm.El0Write];
  return need.map((p) => {
    if (!r.ok) return `fault:${faultStatusCode(r).toString(16)}`;
    if ((r.perms & p) === 0) return `fault:${faultStatusCode({ ok: false, kind: 'permission', level: r.level }).toString(16)}`;
    return `pa:${r.pagePa.toString(16)} dev:${r.device ? 1 : 0}`;
  });
}

function queryBlob(queries: Query[]): Buffer {
  const buf = Buffer.alloc(8 + queries.length * 64);
  buf.writeBigUInt64LE(BigInt(queries.length), 0);
  queries.forEach((q, i) => {
    const r = q.regs;
    const w64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    const fields = [w64(r.tcrLo, r.tcrHi), w64(r.ttbr0Lo, r.ttbr0Hi), w64(r.ttbr1Lo, r.ttbr1Hi), w64(r.mairLo, r.mairHi), BigInt(r.sctlrLo >>> 0), q.va, 0n, 0n];
    fields.forEach((v, j) => buf.writeBigUInt64LE(v, 8 + i * 64 + j * 8));
  });
  return buf;
}

function runLive(cpu: string, mem: PhysicalMemory, queries: Query[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'walk-probe-'));
  writeFileSync(join(dir, 'tables.bin'), mem.readBytes(TABLES_PA, TABLES_SIZE));
  writeFileSync(join(dir, 'queries.bin'), queryBlob(queries));
  try {
    return runQemu(cpu, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runQemu(cpu: string, dir: string): string {
  return execFileSync(
    'qemu-system-aarch64',
    [
      '-M', 'virt,virtualization=on', '-cpu', cpu, '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
      '-kernel', join(FIXTURES, 'walk-probe.elf'),
      '-device', `loader,file=${join(dir, 'tables.bin')},addr=0x${TABLES_PA.toString(16)},force-raw=on`,
      '-device', `loader,file=${join(dir, 'queries.bin')},addr=0x${QUERIES_PA.toString(16)},force-raw=on`,
    ],
    { timeout: 30_000, encoding: 'utf8' },
  );
}

function compare(mem: PhysicalMemory, queries: Query[], output: string): void {
  const lines = output.split('\n').filter((l) => l.startsWith('q'));
  expect(lines).toHaveLength(queries.length);
  queries.forEach((query, i) => {
    const qemu = lines[i].split(' ').slice(1).map(fromPar);
    const walker = fromWalker(mem, query);
    const deviation = QEMU_DEVIATIONS[query.label];
    if (deviation) {
      expect(qemu[0], `QEMU on ${query.label}`).toBe(deviation.qemu);
      expect(walker, query.label).toEqual([deviation.arch, deviation.arch, deviation.arch, deviation.arch]);
      return;
    }
    expect(walker, `${query.label} (EL1 R, EL1 W, EL0 R, EL0 W)`).toEqual(qemu);
  });
}

const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;

/** Tables written by the kernel's aarch64 backend, under the translation regime it documents. */
function kernelBackendScenarios(): { mem: PhysicalMemory; queries: Query[] } {
  const mem = new PhysicalMemory(RAM_BASE, 32 * 1024 * 1024);
  const mmu = createAarch64Mmu(mem, bumpFrames(TABLES_PA), NO_TLB);
  const user = mmu.createRoot();
  const kernel = mmu.createRoot();
  user.asid = 0x1234;
  const regs = stage1Regs(user, kernel);
  const queries: Query[] = [];
  for (let bits = 0; bits < 64; bits++) {
    const a = pageAttrsOfBits(bits);
    const va = 0x7f00_0000_0000 + bits * 4096;
    mmu.map(user, va, 0x4400_0000 + bits * 4096, a);
    queries.push({ label: `user half ${JSON.stringify(a)}`, regs, va: BigInt(va) });
  }
  mmu.map(kernel, -(2 ** 47) + 0x4000_0000, 0x4000_0000, { read: true, write: true, exec: false, user: false, global: true, device: false });
  queries.push({ label: 'kernel half, RW', regs, va: 0xffff_8000_4000_0000n });
  mmu.map(kernel, -4096, 0x9000_0000, { read: true, write: false, exec: true, user: false, global: true, device: false });
  queries.push({ label: 'kernel half, top page, RX', regs, va: 0xffff_ffff_ffff_f000n });
  mmu.map(user, 0x1000, 0x4500_0000, { read: true, write: true, exec: false, user: true, global: false, device: false }, { old: true });
  queries.push({ label: 'old user page', regs, va: 0x1000n });
  queries.push({ label: 'unmapped user page', regs, va: 0x2000n });
  return { mem, queries };
}

const SETS = [
  { name: 'kernel aarch64 backend', cpu: 'cortex-a57', golden: join(FIXTURES, 'walk-probe-kernel-backend.golden.txt'), build: kernelBackendScenarios },
  { name: 'cortex-a57: 4 KiB and 64 KiB granules', cpu: 'cortex-a57', golden: GOLDEN_PATH, build: scenarios },
  { name: 'max: 16 KiB granule', cpu: 'max', golden: join(FIXTURES, 'walk-probe-16k.golden.txt'), build: scenarios16k },
];

describe.each(SETS)('stage-1 walks against QEMU (walk-probe, $name)', ({ cpu, golden, build }) => {
  it('match the golden PAR_EL1 values recorded from qemu-system-aarch64', () => {
    const { mem, queries } = build();
    if (process.env.UPDATE_GOLDEN && haveQemu) writeFileSync(golden, runLive(cpu, mem, queries));
    expect(existsSync(golden)).toBe(true);
    compare(mem, queries, readFileSync(golden, 'utf8'));
  });

  it.skipIf(!haveQemu)('match a live run of the probe', () => {
    const { mem, queries } = build();
    expect(runLive(cpu, mem, queries)).toBe(readFileSync(golden, 'utf8'));
  });
});
