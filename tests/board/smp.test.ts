// -smp N: our four-CPU image (tests/fixtures/baremetal/smp.c) against the
// output QEMU 7.2 printed for it, and the scheduler's promises: CPUs take
// turns deterministically, secondaries stay off until CPU_ON, time is the
// instructions retired by all CPUs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAREMETAL, bootImage, golden } from './boot-harness';

const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;

describe('four CPUs on the virt board', () => {
  it('smp: exact totals from LDXR/STXR and LSE atomics on four CPUs, SGI messages, PSCI CPU_ON/CPU_OFF/AFFINITY_INFO, as QEMU printed', () => {
    const r = bootImage('smp', { cpus: 4 });
    expect(r.stdout.split('\n')).toEqual(golden('smp').split('\n'));
    expect(r.state).toEqual({ kind: 'off' });
    // Every CPU did its share of the counting.
    for (const cpu of r.board.cpus) expect(cpu.retired).toBeGreaterThan(4 * 20_000);
  });

  it.skipIf(!haveQemu)('smp: a live QEMU (-cpu max -smp 4) prints the golden lines', () => {
    const q = spawnSync('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'max', '-smp', '4', '-m', '128', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-kernel', join(BAREMETAL, 'smp.elf')], { timeout: 60_000, encoding: 'utf8' });
    expect(q.stdout).toBe(golden('smp'));
  });

  it('runs are deterministic: the same instructions on every CPU, twice', () => {
    const a = bootImage('smp', { cpus: 4 });
    const b = bootImage('smp', { cpus: 4 });
    expect(a.board.cpus.map((c) => c.retired)).toEqual(b.board.cpus.map((c) => c.retired));
    expect(a.board.time.now()).toBe(b.board.time.now());
  });

  it.each(['mmu', 'tlb', 'debug'])('a one-CPU image (%s) runs the same on -smp 4: the secondaries stay off, time counts CPU 0 alone', (name) => {
    const one = bootImage(name);
    const four = bootImage(name, { cpus: 4 });
    expect(four.stdout).toBe(one.stdout);
    expect(four.state).toEqual({ kind: 'off' });
    expect(four.board.cpus.slice(1).map((c) => c.retired)).toEqual([0, 0, 0]);
    expect(four.board.cpu.retired).toBe(one.board.cpu.retired);
    expect(four.board.time.now()).toBe(one.board.time.now());
    expect(four.board.scheduler?.power).toEqual([1, 0, 0, 0]);
  });

  it('MPIDR_EL1 gives each CPU its index as Aff0', () => {
    const r = bootImage('smp', { cpus: 4 });
    expect(r.board.cpus.map((c) => c.mpidr.toString(16))).toEqual(['80000000', '80000001', '80000002', '80000003']);
  });
});
