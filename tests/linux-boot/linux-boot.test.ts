// Debian 12's arm64 cloud kernel with an initramfs of busybox-static and our
// init script (tests/linux-boot/init.sh), booted on salty's virt board and on
// qemu-system-aarch64 -M virt -cpu cortex-a57 -m 512 -nographic, GICv2 and
// GICv3: from "Run /init" through "reboot: Power down" the console lines
// (timestamps stripped) must be the same. Without QEMU the reference is its
// console recorded in golden/ (LINUX_BOOT_RECORD=1 re-records it). The kernel
// is downloaded at test time; without it the test skips and says why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootLinux, consoleLines, initSection } from '../../tools/linux-boot/board-boot';
import { kernelFiles } from '../../tools/linux-boot/kernel-files';

const GOLDEN = join(process.cwd(), 'tests/linux-boot/golden');
const APPEND = 'console=ttyAMA0';
const haveQemu = spawnSync('qemu-system-aarch64', ['--version']).status === 0;
const files = kernelFiles();
const skipReason = typeof files === 'string' ? files : undefined;
if (skipReason !== undefined) console.warn(`linux-boot: skipped: ${skipReason}`);

function qemuConsole(gic: 2 | 3): string {
  if (typeof files === 'string') throw new Error(files);
  const dir = mkdtempSync(join(tmpdir(), 'salty-linux-'));
  writeFileSync(join(dir, 'initrd.gz'), files.initrd);
  const machine = gic === 3 ? 'virt,gic-version=3' : 'virt';
  const r = spawnSync(
    'qemu-system-aarch64',
    ['-M', machine, '-cpu', 'cortex-a57', '-m', '512', '-nographic', '-kernel', files.vmlinuzPath, '-initrd', join(dir, 'initrd.gz'), '-append', APPEND],
    { encoding: 'latin1', timeout: 300_000 },
  );
  return r.stdout;
}

/** QEMU's console lines, live or from the golden file; the uname line loses the kernel version when the golden's kernel is another one. */
function reference(gic: 2 | 3): { lines: string[]; sameKernel: boolean } {
  if (typeof files === 'string') throw new Error(files);
  const golden = join(GOLDEN, `qemu-gic${gic}.txt`);
  if (haveQemu) {
    const text = qemuConsole(gic);
    if (process.env.LINUX_BOOT_RECORD) {
      writeFileSync(golden, consoleLines(text).join('\n'));
      writeFileSync(join(GOLDEN, 'kernel-package.txt'), files.kernelPackage + '\n');
    }
    return { lines: consoleLines(text), sameKernel: true };
  }
  const recorded = readFileSync(join(GOLDEN, 'kernel-package.txt'), 'utf8').trim();
  return { lines: readFileSync(golden, 'utf8').split('\n'), sameKernel: recorded === files.kernelPackage };
}

/** Kernel lines whose numbers change from run to run (times, dates, addresses that depend on the device tree's size): compared up to the match. */
const VARYING = [/^NUMA: NODE_DATA \[mem /, /^Memory: \d+K\/\d+K available/, /^node 0 deferred pages initialised in /, /^audit: type=2000 audit\(/, /^rtc-pl031 9010000\.pl031: setting system clock to /];
/** Lines naming where the kernel allocated the ITS and LPI tables: the address is masked, the sizes, kinds and flags compared. */
const TABLE_ADDRESS = /^(ITS@0x[0-9a-f]+: allocated \d+ [A-Za-z ]+ |GICv3: (CPU0: )?using (allocated )?LPI (pending |property )?table )@(0x)?[0-9a-f]+/;
/** QEMU's devices this board does not have (see docs/linux-boot.md): the PL061 GPIO. */
const NOT_MODELLED = [/^pl061_gpio /];

/** The kernel's lines before init, in order of text (asynchronous initcalls print in varying order). */
function kernelLog(lines: readonly string[]): string[] {
  const end = lines.findIndex((l) => l.startsWith('Run /init'));
  return lines
    .slice(0, end < 0 ? lines.length : end)
    .filter((l) => l !== '' && !NOT_MODELLED.some((re) => re.test(l)))
    .map((l) => VARYING.find((re) => re.test(l))?.exec(l)?.[0] ?? l.replace(TABLE_ADDRESS, '$1@<address>'))
    .sort();
}

const unameLess = (lines: string[]) => lines.map((l) => (l.startsWith('init: uname: Linux (none) ') ? 'init: uname: Linux (none) <kernel version>' : l));

describe.skipIf(skipReason !== undefined)("Debian's arm64 kernel boots to its init script and powers off", () => {
  for (const gic of [2, 3] as const) {
    it(`GICv${gic}: the init script's console lines are QEMU's`, () => {
      if (typeof files === 'string') return;
      const ref = reference(gic);
      const r = bootLinux({ kernel: files.kernel, initrd: files.initrd, append: APPEND, gicVersion: gic, memoryBytes: 512 << 20, timeoutSeconds: 1200, mark: 'init: started' });
      const ours = consoleLines(r.console);
      const kernelLines = ours.slice(0, ours.findIndex((l) => l.startsWith('Run /init')));
      const missing = ref.lines.filter((l) => !ours.includes(l));
      console.log(
        `linux-boot GICv${gic}: ${r.end} after ${r.seconds.toFixed(1)} s, ${r.retired} instructions; init's first line at ${r.markSeconds?.toFixed(1)} s (cpu ${r.markCpuSeconds?.toFixed(1)} s), ${r.markRetired} instructions; ` +
          `${kernelLines.length} kernel lines, ${missing.length} of QEMU's lines absent; last line: ${ours.filter((l) => l !== '').at(-1)}; ${r.where}`,
      );
      let want = initSection(ref.lines);
      let got = initSection(ours);
      if (!ref.sameKernel) [want, got] = [unameLess(want), unameLess(got)];
      expect(want.length).toBeGreaterThan(10);
      expect(got).toEqual(want);
      expect(r.end).toBe('off');
      // Every line the kernel printed before init is QEMU's, and every one of QEMU's is there (but for devices not modelled).
      if (ref.sameKernel) expect(kernelLog(ours)).toEqual(kernelLog(ref.lines));
      // The boot banner and the devices the init script relies on, as QEMU printed them.
      for (const prefix of ['Booting Linux on physical CPU', 'Machine model:', 'psci: PSCIv', 'arch_timer:', 'Serial: AMBA PL011 UART driver', 'rtc-pl031 9010000.pl031: registered', 'Freeing unused kernel memory']) {
        const line = ref.lines.find((l) => l.startsWith(prefix));
        expect(line, prefix).toBeDefined();
        expect(ours, prefix).toContain(line);
      }
    }, 1_500_000);
  }
});

it.skipIf(skipReason === undefined)('the Linux-boot test says why it skipped', () => {
  expect(skipReason).toMatch(/cannot be had/);
});
