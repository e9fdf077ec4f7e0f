// The SDK's examples run as native processes: their output, checked against
// what the ELF and the kernel say independently, and the PMM after exit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseElfImage } from '../../loader/elf-image';
import { nativeAbiVersion } from '../../loader/native-note';
import { runProgram } from '../../tools/cli/run-program';
import { ARCHES, example, runNative, RAM } from './native-run';

/** The stack MemoryObject's 16 pages end at the machine's user stack top. */
const STACK_BASE = { aarch64: '0xfffffffe0000', x86_64: '0x7ffffffef000' };

describe.each(ARCHES)('native examples on %s', (arch) => {
  const HELLO = example(arch, 'hello');
  const MEMORY = example(arch, 'memory');

  it('the examples carry the SaltyOS note; a Linux fixture does not', () => {
    expect(nativeAbiVersion(readFileSync(HELLO))).toBe(1);
    expect(nativeAbiVersion(readFileSync('tests/fixtures/demo/demo.elf'))).toBeNull();
  });

  it('hello prints its boot info, which matches the ELF and the process the kernel made', () => {
    const r = runNative(HELLO);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 2)).toEqual(['hello from a native SaltyOS program', 'boot info at its fixed address']);
    const image = parseElfImage(readFileSync(HELLO));
    const segs = image.segments.map((s, i) => {
      const va = s.vaddr - (s.vaddr % 4096);
      const pages = Math.ceil((s.vaddr + s.memsz - va) / 4096);
      const perms = (s.flags.read ? 'r' : '-') + (s.flags.write ? 'w' : '-') + (s.flags.execute ? 'x' : '-');
      return `  segment: slot ${6 + i}, address 0x${va.toString(16)}, pages ${pages}, ${perms}`;
    });
    expect(r.out).toContain(`segments = ${image.segments.length}\n${segs.join('\n')}\n`);
    expect(r.out).toContain(`  untyped: slot 1, 2^${r.proc.untyped.sizeBits} bytes\n`);
    // Its share of RAM: the largest aligned power of two left beside the kernel's own frames (2^27 of 256 MiB today).
    expect(2 ** r.proc.untyped.sizeBits).toBeGreaterThanOrEqual(RAM / 4);
    expect(r.out).toContain(`free slots ${6 + image.segments.length}..255\n`);
    expect(r.out).toContain(`untyped free bytes: ${2 ** r.proc.untyped.sizeBits} (ok)\n`);
    expect(r.out).toContain(`stack base ${STACK_BASE[arch]}\nstack pages = 16\n`);
    expect(image.machine).toBe(arch);
    // Every frame the process held is free again: the audit after exit equals the one before.
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('memory walks the tiers: frames from the untyped, COW, decommit, exhaustion, revoke', () => {
    const r = runNative(MEMORY);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).not.toContain('UNEXPECTED');
    const full = 2 ** r.proc.untyped.sizeBits;
    const block = (step: string) => r.out.split(`[${step}]\n`)[1].split('\n').slice(0, 3).join('\n');
    // A MemoryObject header is 256 bytes of the untyped.
    expect(block('retyped')).toContain(`untyped free bytes: ${full - 256}`);
    // Four pages and the four radix nodes above them, all retyped out of the untyped.
    expect(block('committed 4 pages')).toMatch(/metadata \+4,.*\n.*zero-filled \+4,/);
    expect(block('committed 4 pages')).toContain(`untyped free bytes: ${full - 256 - 8 * 4096}`);
    expect(block('wrote page 8 (demand fault)')).toContain(`untyped free bytes: ${full - 256 - 9 * 4096}`);
    expect(r.out).toContain('clone page 0 reads 65\n');
    expect(r.out).toContain('clone page 0 after its write reads 97\noriginal page 0 reads 65\n');
    expect(block('wrote the clone (COW copy)')).toContain('COW copies +1');
    expect(r.out).toContain('original page 2 after its write reads 99\nclone page 2 reads 67\n');
    expect(r.out).toContain('original page 3 reads 0\nclone page 3 reads 68\n');
    expect(r.out).toContain('commit more pages than the untyped holds: not enough memory\n');
    expect(r.out).toContain('capabilities removed = 3\n');
    expect(block('revoked')).toMatch(/metadata \+0, kernel objects \+0, page tables \+0/);
    expect(block('revoked')).toContain(`untyped free bytes: ${full}`);
    expect(r.out.endsWith('every frame is back\n')).toBe(true);
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });

  it('--strace prints each invocation with slot, object type, label, arguments and error; --stats counts them', () => {
    const r = runNative(MEMORY, { strace: true });
    const lines = r.err.trim().split('\n');
    expect(lines).toContain('[1] invoke slot 1 (untyped) untypedRetype(1, 8, 16) = 8');
    expect(lines).toContain('[1] invoke slot 8 (memory-object) memoryObjectCommit(0, 4, 1) = 4');
    expect(lines).toContain('[1] invoke slot 2 (vspace) vspaceMap(11, 0x1100000000, 1, 0, 3) = error 7 (insufficientRights)');
    expect(lines).toContain('[1] invoke slot 8 (empty) memoryObjectCommit(0, 1, 1) = error 1 (invalidCapability)');
    expect(lines.at(-1)).toBe('[1] invoke slot 3 (thread) threadExit(0) = ?');
    expect(lines.length).toBe(r.system.invocations);
    let err = '';
    const status = runProgram(
      { file: MEMORY, bytes: readFileSync(MEMORY), args: [], env: [], memoryBytes: RAM, strace: false, stats: true },
      { writeOut: () => {}, writeErr: (d) => (err += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false },
    );
    expect(status).toBe(0);
    expect(err).toContain(`arch: ${arch} (native process)`);
    expect(err).toContain(`invocations: ${lines.length}\n`);
    expect(err).toMatch(/MemoryObjects: 0 live/);
  });
});
