// Bad input around dynamic linking, from the command line: an image far
// larger than the guest's memory, a missing interpreter, an interpreter of
// the wrong machine. Each ends at once with exactly one line on stderr that
// names the file and the problem. And -L / QEMU_LD_PREFIX find the interpreter.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExecError } from '../../kernel/process/exec-error';
import { runProgram } from '../../tools/cli/run-program';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const HELLO = readFileSync(join(process.cwd(), 'tests/fixtures/loader/hello-nostdlib-aarch64.elf'));
const DYNAMIC = 'tests/fixtures/linux-dynamic';
const CROSS = '/usr/aarch64-linux-gnu';
const hasCross = existsSync(join(CROSS, 'lib/ld-linux-aarch64.so.1'));

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

function salty(args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [SALTY, 'run', ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/bin:/bin', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

function oneLine(stderr: string): string {
  expect(stderr.endsWith('\n')).toBe(true);
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

/** hello with its data segment's memsz set to 8 TiB. */
function hugeElf(): string {
  const b = Buffer.from(HELLO);
  const phoff = Number(b.readBigUInt64LE(32));
  b.writeBigUInt64LE(8n << 40n, phoff + 56 + 40);
  const file = join(mkdtempSync(join(tmpdir(), 'salty-huge-')), 'huge.elf');
  writeFileSync(file, b);
  return file;
}

describe('an image that needs more memory than the guest has', () => {
  it('is refused by the kernel at once, without walking its pages', () => {
    const file = hugeElf();
    const started = performance.now();
    const run = (): number =>
      runProgram({ file, bytes: readFileSync(file), args: [], env: [], memoryBytes: 256 << 20, strace: false, stats: false }, { writeOut() {}, writeErr() {}, readIn: () => new Uint8Array(0), isTty: () => false });
    expect(run).toThrow(ExecError);
    expect(run).toThrow(/PT_LOAD segments need 8.0 TiB of memory, more than the guest RAM of 256 MiB \(-m\)/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('salty run says so in one line and fails', () => {
    const file = hugeElf();
    const r = salty([file]);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^salty: ${file}: its PT_LOAD segments need 8.0 TiB`));
  });
});

describe('the interpreter', () => {
  const prog = `${DYNAMIC}/threads.glibc.elf`;

  it('missing: one line that says where it looked and names the Debian cross sysroot', () => {
    const empty = mkdtempSync(join(tmpdir(), 'salty-root-'));
    const r = salty(['--root', empty, prog]);
    expect(r.status).toBe(1);
    const line = oneLine(r.stderr);
    expect(line).toContain(`salty: ${prog}: interpreter /lib/ld-linux-aarch64.so.1 not found (looked for ${empty}/lib/ld-linux-aarch64.so.1)`);
    if (hasCross) expect(line).toContain(`salty run -L ${CROSS}`);
  });

  it('missing under -L too: both places named', () => {
    const empty = mkdtempSync(join(tmpdir(), 'salty-root-'));
    const sysroot = mkdtempSync(join(tmpdir(), 'salty-sysroot-'));
    const line = oneLine(salty(['--root', empty, '-L', sysroot, prog]).stderr);
    expect(line).toContain(`looked for ${sysroot}/lib/ld-linux-aarch64.so.1 and ${empty}/lib/ld-linux-aarch64.so.1`);
  });

  it('of the wrong machine: one line naming it', () => {
    const sysroot = mkdtempSync(join(tmpdir(), 'salty-sysroot-'));
    mkdirSync(join(sysroot, 'lib'));
    symlinkSync(join(process.cwd(), DYNAMIC, 'x86_64/libsaltyplug.so'), join(sysroot, 'lib/ld-linux-aarch64.so.1'));
    const r = salty(['-L', sysroot, prog]);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^salty: .*threads.glibc.elf: bad interpreter .*: wrong machine: found x86_64 \(e_machine 62\), expected aarch64$/);
  });

  it.runIf(hasCross)('found through -L and through QEMU_LD_PREFIX', () => {
    const want = readFileSync(`${DYNAMIC}/threads.glibc.golden`, 'utf8');
    const withFlag = salty(['-L', CROSS, prog]);
    expect(withFlag.stdout).toBe(want);
    expect(withFlag.status).toBe(0);
    const withEnv = salty([prog], { QEMU_LD_PREFIX: CROSS });
    expect(withEnv.stdout).toBe(want);
    expect(withEnv.status).toBe(0);
  });
});

describe.runIf(hasCross)("a guest's execve of a program that cannot start", () => {
  it('answers ENOENT for a missing interpreter, ELIBBAD for a wrong one, ENOEXEC for no program, as Linux does', () => {
    const root = mkdtempSync(join(tmpdir(), 'salty-root-'));
    mkdirSync(join(root, 'lib'));
    for (const name of ['interp-missing', 'interp-wrong']) writeFileSync(join(root, name), readFileSync(`${DYNAMIC}/${name}.glibc.elf`), { mode: 0o755 });
    writeFileSync(join(root, 'lib/ld-wrong-aarch64.so.1'), readFileSync(`${DYNAMIC}/x86_64/libsaltyplug.so`));
    writeFileSync(join(root, 'notelf'), 'just text\n', { mode: 0o755 });
    const file = `${DYNAMIC}/execerr.glibc.elf`;
    let stdout = '';
    const status = runProgram(
      { file, bytes: readFileSync(file), args: ['/interp-missing', '/interp-wrong', '/notelf', '/nothere'], env: [], memoryBytes: 256 << 20, strace: false, stats: false, root, sysroot: CROSS },
      { writeOut: (d) => (stdout += Buffer.from(d).toString()), writeErr() {}, readIn: () => new Uint8Array(0), isTty: () => false },
    );
    expect(status).toBe(0);
    expect(stdout).toBe(
      '/interp-missing: No such file or directory\n' +
        '/interp-wrong: Accessing a corrupted shared library\n' +
        '/notelf: Exec format error\n' +
        '/nothere: No such file or directory\n',
    );
  });
});
