// The kernel's x86_64 pieces on their own: PTE and #PF bits against the
// board's walker, the user context's syscall registers, the rt_sigframe
// (offsets checked against the host's own headers where gcc is installed),
// arch_prctl, the local APIC timer, and the ABI values that differ from arm64.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as walker from '../../board/x86_64/walker';
import { InstructionTime } from '../../board/virt/time-source';
import { LapicReg, LocalApic, LVT_MASKED, LVT_MODE_SHIFT, SVR_ENABLE, TIMER_TSC_DEADLINE } from '../../board/x86_64/lapic';
import { Misc, RAX, RDI, RDX, RSI, RSP } from '../../board/x86_64/cpu-state';
import * as pte from '../../kernel/arch/x86_64/pte';
import * as fault from '../../kernel/arch/x86_64/fault';
import { archPrctl, ARCH_GET_FS, ARCH_GET_GS, ARCH_SET_FS, ARCH_SET_GS } from '../../kernel/arch/x86_64/arch-prctl';
import { FRAME_INFO, FRAME_SIZE, FRAME_UC, SC_FPSTATE, SC_RIP, UC_MCONTEXT, UC_SIGMASK, X86_SIGNALS } from '../../kernel/arch/x86_64/signal-frame';
import { X86Context } from '../../kernel/arch/x86_64/user-context';
import { openFlagsFromUser } from '../../kernel/linux/arch-abi';
import { encodeStat } from '../../kernel/vfs/stat-buffer';

const hasGcc = spawnSync('gcc', ['--version']).status === 0 && process.arch === 'x64';

/** Compiles and runs a C snippet natively; its stdout as numbers. */
function nativeNumbers(body: string, includes: string[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'salty-x86-abi-'));
  const src = join(dir, 'probe.c');
  writeFileSync(src, `#define _GNU_SOURCE\n${includes.map((h) => `#include <${h}>`).join('\n')}\n#include <stdio.h>\n#include <stddef.h>\nint main(void) { ${body} return 0; }\n`);
  const cc = spawnSync('gcc', ['-o', join(dir, 'probe'), src], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(cc.stderr);
  return spawnSync(join(dir, 'probe'), { encoding: 'utf8' }).stdout.trim().split(/\s+/).map(Number);
}

describe('x86_64 entry bits: the kernel writes what the walker reads', () => {
  it('has the same PTE bits as the walker, written separately', () => {
    for (const name of ['PTE_P', 'PTE_RW', 'PTE_US', 'PTE_PWT', 'PTE_PCD', 'PTE_A', 'PTE_D', 'PTE_PS', 'PTE_G', 'PTE_HI_NX'] as const) {
      expect([name, pte[name]]).toEqual([name, walker[name]]);
    }
  });

  it('decodes the walker\'s #PF error-code bits', () => {
    for (const name of ['PF_P', 'PF_W', 'PF_U', 'PF_RSVD', 'PF_I'] as const) expect([name, fault[name]]).toEqual([name, walker[name]]);
  });
});

describe('x86_64 user context', () => {
  it('reads the number from rax and the arguments from rdi, rsi, rdx, r10, r8, r9', () => {
    const c = new X86Context();
    [RAX, RDI, RSI, RDX, 10, 8, 9].forEach((r, i) => c.setReg(r, i === 0 ? 60 : 100 + i));
    expect(c.syscallNumber()).toBe(60);
    expect([0, 1, 2, 3, 4, 5].map((i) => c.syscallArg(i))).toEqual([101, 102, 103, 104, 105, 106]);
    c.setResult(-4);
    expect(c.reg(RAX)).toBe(-4);
    c.setReg(RAX, 2 ** 32 + 1);
    expect(c.syscallNumber()).toBe(-1);
  });

  it('restarts a syscall: rip back over SYSCALL, rax the number again', () => {
    const c = new X86Context();
    c.pc = 0x401002;
    c.setReg(RAX, 0);
    const token = c.restartToken();
    c.setResult(-512);
    c.restartSyscall(token);
    expect([c.pc, c.reg(RAX)]).toEqual([0x401000, 0]);
  });

  it('starts a program with IF set, the FP control words at reset and the stack pointer given', () => {
    const c = new X86Context();
    c.setReg(3, 99);
    c.reset(0x401000, 0x7fff_ffff_e000);
    expect([c.pc, c.sp, c.reg(3), c.rflags]).toEqual([0x401000, 0x7fff_ffff_e000, 0, 0x202]);
    expect([c.state.misc[Misc.Mxcsr], c.state.misc[Misc.Fcw]]).toEqual([0x1f80, 0x37f]);
  });

  it('keeps FS and GS bases as the thread pointer and arch_prctl sets and reads them', () => {
    const c = new X86Context();
    const stored = new Map<number, Uint8Array>();
    const write = (a: number, b: Uint8Array) => void stored.set(a, b);
    expect(archPrctl(c, ARCH_SET_FS, 0x7000_1000, write)).toBe(0);
    expect(archPrctl(c, ARCH_SET_GS, 0x7000_2000, write)).toBe(0);
    expect([c.threadPointer, c.gsBase]).toEqual([0x7000_1000, 0x7000_2000]);
    archPrctl(c, ARCH_GET_FS, 0x10, write);
    archPrctl(c, ARCH_GET_GS, 0x18, write);
    expect(new DataView(stored.get(0x10)!.buffer).getUint32(0, true)).toBe(0x7000_1000);
    expect(new DataView(stored.get(0x18)!.buffer).getUint32(0, true)).toBe(0x7000_2000);
    expect(archPrctl(c, ARCH_SET_FS, 2 ** 47, write)).toBe(-1);
    expect(archPrctl(c, 0x3001, 0, write)).toBe(-22);
  });
});

describe('x86_64 signal frame', () => {
  function sample(): X86Context {
    const c = new X86Context();
    for (let r = 0; r < 16; r++) c.setReg(r, 0x1111_0000 * (r + 1) + r);
    c.pc = 0x40_1234;
    c.rflags = 0x2d7; // CF PF AF ZF SF + IF + bit 1
    c.state.misc[Misc.Mxcsr] = 0x1f80 | 0x20;
    for (let i = 0; i < 256; i++) c.state.xb[i] = (i * 13) & 0xff;
    c.state.misc[Misc.FpuTop] = 6;
    c.state.misc[Misc.FpuEmpty] = 0x3f;
    c.state.stb.set([1, 2, 3, 4, 5, 6, 7, 0x80, 0xff, 0x3f], 6 * 16);
    return c;
  }

  const memory = new Map<number, number>();
  const write = (addr: number, bytes: Uint8Array) => bytes.forEach((b, i) => memory.set(addr + i, b));
  const read = (addr: number, len: number) => Uint8Array.from({ length: len }, (_, i) => memory.get(addr + i) ?? 0);
  const u64 = (addr: number) => new DataView(read(addr, 8).buffer).getBigUint64(0, true);
  const siginfo = new Uint8Array(128);
  siginfo[0] = 11;
  const sp = 0x7fff_0000_1238;
  const ctx = sample();
  const before = sample();
  const frame = X86_SIGNALS.enterHandler(
    ctx,
    { signo: 11, siginfo, mask: { lo: 0x4001, hi: 0x8000_0000 }, altStack: { sp: 0, size: 0, flags: 2 }, stackTop: sp, onAltStack: false, handler: 0x40_2000, restorer: 0x40_3000, faultAddress: 0xdead_b000 },
    write,
  )!;

  it('leaves the red zone, aligns the frame as after a CALL and the FP state to 64 bytes above it', () => {
    const fp = Number(u64(frame + FRAME_UC + UC_MCONTEXT + SC_FPSTATE));
    expect(frame + FRAME_SIZE).toBeLessThanOrEqual(fp);
    expect(fp + 512).toBeLessThanOrEqual(sp - 128);
    expect(fp % 64).toBe(0);
    expect((frame + 8) % 16).toBe(0);
  });

  it('enters the handler with rdi = signo, rsi = &info, rdx = &uc, rsp = the frame, the return address SA_RESTORER\'s', () => {
    expect([ctx.reg(RDI), ctx.reg(RSI), ctx.reg(RDX), ctx.sp, ctx.pc]).toEqual([11, frame + FRAME_INFO, frame + FRAME_UC, frame, 0x40_2000]);
    expect(u64(frame)).toBe(0x40_3000n);
    expect(read(frame + FRAME_INFO, 1)[0]).toBe(11);
    expect(u64(frame + FRAME_UC + UC_MCONTEXT + SC_RIP)).toBe(0x40_1234n);
    expect(u64(frame + FRAME_UC + UC_SIGMASK)).toBe(0x8000_0000_0000_4001n);
    expect(ctx.state.misc[Misc.Mxcsr]).toBe(0x1f80);
  });

  it('restores every register, the flags, x87 and SSE state and the mask at rt_sigreturn', () => {
    ctx.sp = frame + 8; // the handler's RET popped the return address
    ctx.setReg(3, 0);
    ctx.state.xb.fill(0);
    const mask = X86_SIGNALS.sigreturn(ctx, read);
    expect(mask).toEqual({ lo: 0x4001, hi: 0x8000_0000 });
    for (let r = 0; r < 16; r++) expect([r, ctx.reg(r)]).toEqual([r, before.reg(r)]);
    expect([ctx.pc, ctx.rflags]).toEqual([before.pc, before.rflags]);
    expect([...ctx.state.xb]).toEqual([...before.state.xb]);
    expect([...ctx.state.stb.subarray(96, 106)]).toEqual([...before.state.stb.subarray(96, 106)]);
    expect([ctx.state.misc[Misc.FpuTop], ctx.state.misc[Misc.FpuEmpty], ctx.state.misc[Misc.Mxcsr]]).toEqual([6, 0x3f, 0x1f80 | 0x20]);
  });

  it('refuses a handler without SA_RESTORER, as x86_64 Linux does', () => {
    const c = sample();
    const req = { signo: 10, siginfo, mask: { lo: 0, hi: 0 }, altStack: { sp: 0, size: 0, flags: 2 }, stackTop: sp, onAltStack: false, handler: 0x40_2000, restorer: 0, faultAddress: 0 };
    expect(X86_SIGNALS.enterHandler(c, req, write)).toBeNull();
  });

  it.skipIf(!hasGcc)('puts uc_mcontext, its rip and fpstate, uc_sigmask where the host headers do', () => {
    const [mc, rip, fp, mask] = nativeNumbers(
      'printf("%zu %zu %zu %zu\\n", offsetof(ucontext_t, uc_mcontext), offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]), offsetof(ucontext_t, uc_mcontext.fpregs), offsetof(ucontext_t, uc_sigmask));',
      ['ucontext.h'],
    );
    expect([mc, rip, fp, mask]).toEqual([UC_MCONTEXT, UC_MCONTEXT + SC_RIP, UC_MCONTEXT + SC_FPSTATE, UC_SIGMASK]);
  });
});

describe('x86_64 ABI values', () => {
  it.skipIf(!hasGcc)('writes struct stat as the host headers lay it out', () => {
    const [size, nlink, mode, rdev, sz, blksize, blocks, mtime] = nativeNumbers(
      'printf("%zu %zu %zu %zu %zu %zu %zu %zu\\n", sizeof(struct stat), offsetof(struct stat, st_nlink), offsetof(struct stat, st_mode), offsetof(struct stat, st_rdev), offsetof(struct stat, st_size), offsetof(struct stat, st_blksize), offsetof(struct stat, st_blocks), offsetof(struct stat, st_mtim));',
      ['sys/stat.h'],
    );
    const b = encodeStat({ kind: 'file', perm: 0o644, ino: 9, nlink: 3, rdev: 0, size: 5000, atimeMs: 0, mtimeMs: 2500, ctimeMs: 0 } as never, 'x86_64');
    const v = new DataView(b.buffer);
    expect(b.length).toBe(size);
    expect(v.getUint32(nlink, true)).toBe(3);
    expect(v.getUint32(mode, true)).toBe(0o100644);
    expect(v.getUint32(rdev, true)).toBe(0);
    expect(v.getUint32(sz, true)).toBe(5000);
    expect(v.getUint32(blksize, true)).toBe(4096);
    expect(v.getUint32(blocks, true)).toBe(10);
    expect([v.getUint32(mtime, true), v.getUint32(mtime + 8, true)]).toEqual([2, 500_000_000]);
  });

  it.skipIf(!hasGcc)('reads x86_64 open flags into the kernel\'s (arm64) values', () => {
    // glibc defines O_LARGEFILE as 0 on x86_64 (always on); the kernel's value is 0o100000.
    const [dir, nofollow, direct] = nativeNumbers('printf("%d %d %d\\n", O_DIRECTORY, O_NOFOLLOW, O_DIRECT);', ['fcntl.h']);
    const large = 0o100000;
    expect(openFlagsFromUser('x86_64', dir | 2)).toBe(0o40000 | 2);
    expect(openFlagsFromUser('x86_64', nofollow)).toBe(0o100000);
    expect(openFlagsFromUser('x86_64', direct)).toBe(0o200000);
    expect(openFlagsFromUser('x86_64', large)).toBe(0o400000);
    expect(openFlagsFromUser('aarch64', dir)).toBe(dir);
  });
});

describe('local APIC timer', () => {
  function apic() {
    let retired = 0;
    const time = new InstructionTime(() => retired);
    const a = new LocalApic(time);
    a.write(LapicReg.Svr, 4, SVR_ENABLE | 0xff);
    return { a, time, advance: (n: number) => (retired += n) };
  }

  it('fires in TSC-deadline mode when the count reaches the deadline, once, until EOI', () => {
    const { a, advance } = apic();
    a.write(LapicReg.LvtTimer, 4, 0xec | (TIMER_TSC_DEADLINE << LVT_MODE_SHIFT));
    a.writeTscDeadline(1000);
    advance(999);
    expect(a.update()).toBe(false);
    advance(1);
    expect(a.update()).toBe(true);
    a.accept();
    expect([a.update(), a.inService, a.nextDeadline()]).toEqual([false, 0xec, Infinity]);
    a.write(LapicReg.Eoi, 4, 0);
    expect(a.inService).toBe(-1);
  });

  it('stays quiet while masked, and counts down in one-shot mode', () => {
    const { a, advance } = apic();
    a.write(LapicReg.LvtTimer, 4, 0x40 | LVT_MASKED);
    a.write(LapicReg.TimerDivide, 4, 0xb); // divide by 1
    a.write(LapicReg.TimerInitial, 4, 500);
    advance(200);
    expect(a.read(LapicReg.TimerCurrent)).toBe(300);
    advance(300);
    expect(a.update()).toBe(false);
    a.write(LapicReg.LvtTimer, 4, 0x40);
    a.write(LapicReg.TimerInitial, 4, 10);
    advance(10);
    expect(a.update()).toBe(true);
  });
});
