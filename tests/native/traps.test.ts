// What ends a native process besides its exit: a Linux svc #0, a fault the
// tiers cannot resolve, and the instruction limit; each frees every frame.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';
import { parseElfImage } from '../../loader/elf-image';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { NativeSystem } from '../../kernel/native/native-system';
import { NativeLoadError } from '../../kernel/native/native-process';
import { runNative } from './native-run';

describe('native processes: traps that end them', () => {
  it('a Linux system call (svc #0) is not the native trap: SIGSYS, nothing after it runs', () => {
    const r = runNative('tests/native/guest/linux-svc.elf');
    expect(r.out).toBe('before\n');
    expect(r.err).toMatch(/^salty: .*linux-svc\.elf: SIGSYS: Linux system call 94 \(svc #0\) in a native program at pc 0x[0-9a-f]+\n$/);
    expect(r.status).toBe(128 + 31);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('a write to its read-only text is an unresolved permission fault: SIGSEGV', () => {
    const r = runNative('tests/native/guest/write-text.elf');
    expect(r.out).toBe('before\n');
    expect(r.err).toMatch(/SIGSEGV: write at 0x400000: text region does not allow it/);
    expect(r.status).toBe(128 + 11);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('the instruction limit ends it', () => {
    const r = runNative('sdk/examples/memory.elf', { limit: 2000 });
    expect(r.err).toMatch(/SIGXCPU: instruction limit of 2000 reached/);
    expect(r.status).toBe(128 + 24);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });
});

describe('the native trap immediate in a Linux program', () => {
  it('is an ordinary Linux system call there, as on Linux (golden from qemu-aarch64)', () => {
    const file = 'tests/native/linux/svc-imm.elf';
    const golden = readFileSync('tests/native/linux/svc-imm.golden', 'utf8');
    let out = '';
    const status = runProgram(
      { file, bytes: readFileSync(file), args: [], env: [], memoryBytes: 64 << 20, strace: false, stats: false },
      { writeOut: (d) => (out += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
    );
    expect(`${out}exit ${status}\n`).toBe(golden);
    expect(golden).toBe('a Linux write through svc #0x5a17\nexit 3\n');
  });
});

describe('a native image that cannot start', () => {
  it('two segments in one page are refused, and nothing of the process stays behind', () => {
    const kernel = new HostedKernel(64 << 20);
    const system = new NativeSystem(kernel, { io: { writeOut: () => {}, writeErr: () => {} }, strace: false });
    const before = kernel.mm.pmm.audit();
    const image = parseElfImage(readFileSync('sdk/examples/hello.elf'));
    const [text, data] = image.segments;
    // The data segment moved into the text's last page.
    const shared = { ...image, segments: [text, { ...data, vaddr: text.vaddr + text.memsz }] };
    expect(() => system.spawn(shared, 'shared')).toThrow(NativeLoadError);
    expect(kernel.mm.pmm.audit()).toEqual(before);
    expect(kernel.mm.memoryObjects.size).toBe(0);
    expect(kernel.mm.vspaces.size).toBe(0);
  });
});
