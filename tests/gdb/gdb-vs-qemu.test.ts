// gdb-multiarch in batch mode against `salty run -g` / `salty boot -gdb -S`
// and against qemu-aarch64 -g / qemu-system-aarch64 -gdb -S, on the same
// programs and scripts: the answers (normalised, gdb-harness.ts) must match
// QEMU's, recorded in goldens/ (SALTY_RECORD_GDB=1 records them afresh) and
// compared live where QEMU is installed.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CROSS_SYSROOT, golden, HAVE_CROSS_SYSROOT, HAVE_GDB, HAVE_QEMU_SYSTEM, HAVE_QEMU_USER, normalise, PROGRAMS, ROOT, runSession, saveGolden, type Launcher } from './gdb-harness';

interface Case {
  readonly name: string;
  readonly script: string;
  readonly program: string;
  readonly args?: readonly string[];
  readonly system?: boolean;
  /** Per-side substitutions in the script (qemu-user has no hardware watchpoints: gdb watches in software there). */
  readonly qemuSubstitute?: Record<string, string>;
  readonly saltySubstitute?: Record<string, string>;
  /** Dynamically linked: run with -L and the cross libraries (skipped without them). */
  readonly dynamic?: boolean;
}

const DEBUGEE = join(PROGRAMS, 'debugee.elf');
const CASES: Case[] = [
  { name: 'break-step', script: 'break-step.gdb', program: DEBUGEE },
  // qemu-user has no hardware watchpoints: gdb watches in software there (single-stepping); salty's are hardware ones.
  { name: 'watch', script: 'watch.gdb', program: DEBUGEE, qemuSubstitute: { HWWATCH: 'set can-use-hw-watchpoints 0' }, saltySubstitute: { HWWATCH: '' } },
  { name: 'segv', script: 'segv.gdb', program: DEBUGEE, args: ['x'] },
  { name: 'threads', script: 'threads.gdb', program: join(PROGRAMS, 'threads.elf') },
  { name: 'pie', script: 'pie.gdb', program: join(PROGRAMS, 'debugee-pie.elf'), dynamic: true },
  { name: 'fork', script: 'fork.gdb', program: join(PROGRAMS, 'fork.elf') },
  { name: 'boot-break', script: 'boot-break.gdb', program: join(PROGRAMS, 'bare.elf'), system: true },
  { name: 'boot-entry', script: 'boot-entry.gdb', program: join(ROOT, 'tests/fixtures/baremetal/sysregs.elf'), system: true },
];

/** gdb's software and hardware watchpoints print alike but for their name. */
const answers = (text: string) => normalise(text).replace(/Hardware watchpoint/g, 'Watchpoint');

const RECORD = process.env.SALTY_RECORD_GDB === '1';

describe.skipIf(!HAVE_GDB)('gdb against salty and QEMU (gdb-multiarch present)', () => {
  for (const c of CASES) {
    const qemu: Launcher = c.system ? 'qemu-system' : 'qemu-user';
    const salty: Launcher = c.system ? 'salty-boot' : 'salty-run';
    const haveQemu = (c.system ? HAVE_QEMU_SYSTEM : HAVE_QEMU_USER) && (!c.dynamic || HAVE_CROSS_SYSROOT);
    const sysroot = c.dynamic ? CROSS_SYSROOT : undefined;
    const file = `${c.name}.txt`;

    it.skipIf(!haveQemu)(`${c.name}: QEMU answers as recorded`, async () => {
      const r = await runSession({ launcher: qemu, script: c.script, program: c.program, args: c.args, substitute: c.qemuSubstitute, sysroot });
      const text = answers(r.gdb);
      if (RECORD || golden(file) === undefined) saveGolden(file, text);
      expect(text).toBe(golden(file));
    }, 90_000);

    it.skipIf(c.dynamic === true && !HAVE_CROSS_SYSROOT)(`${c.name}: salty answers as QEMU does`, async () => {
      const want = golden(file);
      expect(want, `goldens/${file} (record it with SALTY_RECORD_GDB=1 where QEMU is installed)`).toBeDefined();
      const r = await runSession({ launcher: salty, script: c.script, program: c.program, args: c.args, substitute: c.saltySubstitute, sysroot });
      expect(answers(r.gdb)).toBe(want);
    }, 90_000);
  }
});

describe.runIf(!HAVE_GDB)('gdb against salty', () => {
  it.skip('skipped: gdb-multiarch is not installed (apt-get install gdb-multiarch; .ci/run installs it)', () => {});
});
