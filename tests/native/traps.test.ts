// What ends a native process besides its exit: a Linux svc #0, a fault the
// tiers cannot resolve, and the instruction limit; each frees every frame.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';
import { parseElfImage } from '../../loader/elf-image';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { NativeSystem } from '../../kernel/native/native-system';
import { NativeLoadError } from '../../kernel/native/native-process';
import { ARCHES, example, guest, runNative } from './native-run';

/** linux-svc's exit_group, as each arch's Linux numbers and writes it. */
const LINUX_CALL = { aarch64: 'Linux system call 94 \\(svc #0\\)', x86_64: 'Linux system call 231 \\(syscall\\)' };

describe.each(ARCHES)('native processes on %s: traps that end them', (arch) => {
  it('a Linux system call is not the native trap: SIGSYS, nothing after it runs', () => {
    const r = runNative(guest(arch, 'linux-svc'));
    expect(r.out).toBe('before\n');
    expect(r.err).toMatch(new RegExp(`^salty: .*linux-svc\\.elf: SIGSYS: ${LINUX_CALL[arch]} in a native program at pc 0x[0-9a-f]+\\n$`));
    expect(r.status).toBe(128 + 31);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('a write to its read-only text is an unresolved permission fault: SIGSEGV', () => {
    const r = runNative(guest(arch, 'write-text'));
    expect(r.out).toBe('before\n');
    expect(r.err).toMatch(/SIGSEGV: write at 0x400000: text region does not allow it/);
    expect(r.status).toBe(128 + 11);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('the instruction limit ends it', () => {
    const r = runNative(example(arch, 'memory'), { limit: 2000 });
    expect(r.err).toMatch(/SIGXCPU: instruction limit of 2000 reached/);
    expect(r.status).toBe(128 + 24);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });
});

/** The native trap as a Linux program executes it: each arch's oracle says what Linux does with it. */
const LINUX_PROGRAMS = [
  { arch: 'aarch64', name: 'svc-imm', oracle: 'qemu-aarch64', golden: 'a Linux write through svc #0x5a17\nexit 3\n' },
  { arch: 'x86_64', name: 'native-rax', oracle: 'the host kernel', golden: 'syscall with rax 0x5a17: -ENOSYS\nexit 3\n' },
];

describe.each(LINUX_PROGRAMS)('the native trap in a Linux program on $arch', ({ arch, name, oracle, golden: expected }) => {
  it(`is what Linux makes of it (golden from ${oracle})`, () => {
    const file = `tests/native/linux/${arch}/${name}.elf`;
    const golden = readFileSync(`tests/native/linux/${arch}/${name}.golden`, 'utf8');
    let out = '';
    const status = runProgram(
      { file, bytes: readFileSync(file), args: [], env: [], memoryBytes: 64 << 20, strace: false, stats: false },
      { writeOut: (d) => (out += Buffer.from(d).toString()), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
    );
    expect(`${out}exit ${status}\n`).toBe(golden);
    expect(golden).toBe(expected);
  });
});

describe.each(ARCHES)('a native image that cannot start on %s', (arch) => {
  it('two segments in one page are refused, and nothing of the process stays behind', () => {
    const kernel = new HostedKernel(64 << 20, { arch });
    const system = new NativeSystem(kernel, { io: { writeOut: () => {}, writeErr: () => {} }, strace: false });
    const before = kernel.mm.pmm.audit();
    const image = parseElfImage(readFileSync(example(arch, 'hello')));
    const [text, data] = image.segments;
    // The data segment moved into the text's last page.
    const shared = { ...image, segments: [text, { ...data, vaddr: text.vaddr + text.memsz }] };
    expect(() => system.spawn(shared, 'shared')).toThrow(NativeLoadError);
    expect(kernel.mm.pmm.audit()).toEqual(before);
    expect(kernel.mm.memoryObjects.size).toBe(0);
    expect(kernel.mm.vspaces.size).toBe(0);
  });
});
