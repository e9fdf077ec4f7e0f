// Stack, control flow, system instructions, traps and the MMU of the x86 CPU.

import { describe, expect, it } from 'vitest';
import { StopReason, X86Cpu, CR4_PCIDE, CR4_PAE } from '../../board/x86_64/cpu';
import { RAX, RBX, RCX, RDX, RSP, RBP } from '../../board/x86_64/cpu-state';
import { PF_I, PF_P, PF_U, PF_W } from '../../board/x86_64/walker';
import { Vector } from '../../board/x86_64/x86-fault';
import { blockCases, expectSameAsNative } from './oracle-blocks';
import { x86asm } from './x86-asm';
import { CODE, DATA, STACK_TOP, x86Machine, X86TestMachine } from './x86-test-machine';

describe('x86 stack and control flow', () => {
  it('push/pop forms, pushf/popf, enter/leave against the host CPU', () => {
    const ins = [{ regs: { rax: 0x1122334455667788n, rbx: 0x99n, rbp: 0x5000f0n, rsi: 0x500020n }, flags: 0x8d5 }];
    for (const code of [
      'push rax\npush rbx\npop rcx\npop rdx', 'push -5\npop rcx', 'push 0x12345678\npop rcx', 'push qword ptr [rsi]\npop rcx',
      'push rax\npop qword ptr [rsi]\nmov rcx, [rsi]', 'pushfq\npop rcx\nand ecx, 0xcd5', 'push 0x8d5\npopfq\npushfq\npop rcx',
      'mov rdx, rsp\nenter 0x20, 0\nmov rcx, rdx\nsub rcx, rsp\nleave\nsub rdx, rsp', 'mov rdx, rsp\nenter 16, 3\nmov rcx, rdx\nsub rcx, rsp\nmov rbx, [rsp + 24]\nmov qword ptr [rsp + 16], 0\nleave\nsub rdx, rsp',
      'push ax\npop cx', 'lahf\nmov cl, ah', 'mov ah, 0xd5\nsahf\npushfq\npop rcx',
      'stc\nsetc cl\ncmc\nsetc ch\nclc\nsetc bl',
    ]) expectSameAsNative(blockCases(code, ins, ['rax', 'rbx', 'rcx', 'rdx'], 0x8d5));
  });

  it('indirect calls and jumps through registers and memory, ret imm', () => {
    const m = x86Machine(x86asm(`
      lea rax, [rip + f]
      call rax
      lea rbx, [rip + table]
      call qword ptr [rbx]
      push 1
      push 2
      call g
      jmp qword ptr [rbx + 8]
    f: add ecx, 1
      ret
    g: add ecx, 10
      ret 16
    h: add ecx, 100
      int3
    table: .quad f, h
    `));
    m.runToBreakpoint();
    expect(m.reg(RCX)).toBe(112n);
    expect(m.reg(RSP)).toBe(BigInt(STACK_TOP));
  });

  it('loop, loope, loopne, jrcxz', () => {
    expectSameAsNative(blockCases('xor eax, eax\nmov ecx, 5\n1: inc eax\nloop 1b\nmov ecx, 3\n2: cmp eax, 100\nloopne 2b\njrcxz 3f\nadd eax, 1000\n3:', [{ regs: {} }], ['rax', 'rcx'], 0x8d5));
  });

  it('a RET to a non-canonical address raises #GP at the RET, RSP unchanged', () => {
    const m = x86Machine(x86asm('mov rax, 0x8000000000000000\npush rax\nret'));
    const t = m.run();
    expect(t).toMatchObject({ vector: Vector.GP, insnRip: CODE + 11 });
    expect(m.reg(RSP)).toBe(BigInt(STACK_TOP - 8));
  });

  it('a non-canonical stack pointer raises #SS, a non-canonical data address #GP', () => {
    const m = x86Machine(x86asm('mov rsp, 0x0000800000000008\npush rax'));
    expect(m.run()).toMatchObject({ vector: Vector.SS, errorCode: 0 });
    const m2 = x86Machine(x86asm('mov rbx, 0x0000800000000000\nmov rax, [rbx]'));
    expect(m2.run()).toMatchObject({ vector: Vector.GP });
    const m3 = x86Machine(x86asm('mov rbp, 0xffff000000000000\nmov rax, [rbp + 8]'));
    expect(m3.run()).toMatchObject({ vector: Vector.SS });
  });
});

describe('x86 system instructions', () => {
  it('CPUID reports the implemented features and the vendor', () => {
    const m = x86Machine(x86asm('xor eax, eax\ncpuid\nmov r8, rbx\nmov r9, rdx\nmov r10, rcx\nmov eax, 1\ncpuid'));
    m.runToBreakpoint();
    const vendor = Buffer.alloc(12);
    vendor.writeUInt32LE(Number(m.reg(8)), 0);
    vendor.writeUInt32LE(Number(m.reg(9)), 4);
    vendor.writeUInt32LE(Number(m.reg(10)), 8);
    expect(vendor.toString('latin1')).toBe('GenuineIntel');
    const ecx = Number(m.reg(RCX));
    const edx = Number(m.reg(RDX));
    for (const bit of [0, 9, 13, 19, 20, 23]) expect((ecx >>> bit) & 1, `ECX bit ${bit}`).toBe(1); // SSE3 SSSE3 CX16 SSE4.1 SSE4.2 POPCNT
    for (const bit of [26, 27, 28, 22, 12]) expect((ecx >>> bit) & 1, `ECX bit ${bit}`).toBe(0); // no XSAVE OSXSAVE AVX MOVBE FMA
    for (const bit of [0, 4, 8, 15, 23, 24, 25, 26]) expect((edx >>> bit) & 1, `EDX bit ${bit}`).toBe(1); // FPU TSC CX8 CMOV MMX FXSR SSE SSE2
  });

  it('RDTSC counts retired instructions by default', () => {
    const m = x86Machine(x86asm('nop\nnop\nrdtsc'));
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(2n);
    expect(m.reg(RDX)).toBe(0n);
  });

  it('NOP space, ENDBR64, PAUSE, prefetch hints and fences execute as no-ops', () => {
    const m = x86Machine(x86asm('endbr64\nnop dword ptr [rax + rax*1 + 0]\nnop word ptr cs:[rax + rax*1 + 0]\npause\nprefetcht0 [rax]\nprefetchnta [rax]\nlfence\nmfence\nsfence\nxchg ax, ax\nmov eax, 7'));
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(7n);
  });

  it('INT3 and INT n trap after the instruction; INT 0x21 is #GP with the IDT error code', () => {
    const m = x86Machine(x86asm('nop\nint3'));
    expect(m.run()).toMatchObject({ kind: 'exception', vector: Vector.BP, rip: CODE + 2, insnRip: CODE + 1 });
    const m2 = x86Machine(x86asm('int 0x80'));
    expect(m2.run()).toMatchObject({ vector: 0x80, rip: CODE + 2 });
    const m3 = x86Machine(x86asm('int 0x21'));
    expect(m3.run()).toMatchObject({ vector: Vector.GP, errorCode: 0x21 * 8 + 2, rip: CODE });
  });

  it('privileged instructions raise #GP(0) at CPL3, as Linux reports them', () => {
    for (const src of ['hlt', 'cli', 'sti', 'in al, dx', 'out 0x80, al', 'mov rax, cr3', 'mov cr3, rax', 'rdmsr', 'wrmsr', 'invlpg [rax]', 'swapgs', 'wbinvd', 'rdpmc']) {
      const m = x86Machine(x86asm(src));
      expect(m.run(), src).toMatchObject({ vector: Vector.GP, errorCode: 0, rip: CODE });
    }
  });

  it('unknown and invalid-in-64-bit encodings are #UD with their bytes', () => {
    for (const bytes of [[0x0f, 0xff], [0x27], [0x62, 0x00], [0xc5, 0xf8, 0x77], [0x0f, 0x01, 0xd0], [0x8d, 0xc0], [0xf0, 0x90], [0x0f, 0xc7, 0xc8]]) {
      const m = x86Machine(Uint8Array.from(bytes));
      const t = m.run();
      expect(t.vector, bytes.join(',')).toBe(Vector.UD);
      expect([...t.bytes.subarray(0, bytes.length)]).toEqual(bytes.slice(0, t.bytes.length));
    }
  });

  it('an instruction longer than 15 bytes raises #GP(0)', () => {
    const m = x86Machine(Uint8Array.from([...Array(14).fill(0x66), 0x48, 0x01, 0xd8]));
    expect(m.run()).toMatchObject({ vector: Vector.GP, errorCode: 0 });
  });

  it('FS and GS bases apply to segment-prefixed operands only', () => {
    const m = x86Machine(x86asm('mov qword ptr fs:[8], 0x77\nmov rax, qword ptr [0x500108]\nmov rbx, qword ptr gs:[rcx]\nlea rdx, fs:[8]'));
    m.cpu.state.setR(RCX, 0x10);
    m.cpu.state.misc[0] = 0x500100; // FsBaseLo
    m.cpu.state.misc[2] = 0x500100 - 0x10 + 8; // GsBaseLo: gs:[0x10] is fs:[8]
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(0x77n);
    expect(m.reg(RBX)).toBe(0x77n);
    expect(m.reg(RDX)).toBe(8n);
  });

  it('interrupts are taken at block boundaries when IF = 1', () => {
    const m = x86Machine(x86asm('1: inc rax\njmp 1b'));
    m.cpu.raiseInterrupt(0x20);
    const t = m.run();
    expect(t).toMatchObject({ kind: 'interrupt', vector: 0x20 });
    expect(m.cpu.irqLine).toBe(false);
    m.cpu.setRflags(0x2);
    m.cpu.raiseInterrupt(0x21);
    expect(m.cpu.run(1000)).toBe(StopReason.Budget);
  });

  it('HLT at CPL0 stops with WaitForInterrupt', () => {
    const m = x86Machine(x86asm('mov eax, 1\nhlt\nmov eax, 2'));
    m.cpu.cpl = 0;
    expect(m.cpu.run(100)).toBe(StopReason.WaitForInterrupt);
    expect(m.reg(RAX)).toBe(1n);
    expect(m.cpu.rip).toBe(CODE + 6);
  });
});

describe('x86 MMU and decoded-code cache', () => {
  it('#PF error codes: not present, write to read-only, user access to a supervisor page, NX fetch', () => {
    const m = x86Machine(x86asm('mov rax, [0x700000]'));
    m.unmap(0x700000);
    expect(m.run()).toMatchObject({ vector: Vector.PF, errorCode: PF_U, cr2: 0x700000 });
    const m2 = x86Machine(x86asm('mov byte ptr [0x700000], 1'));
    m2.map(0x700000, 0x700000, { writable: false });
    expect(m2.run()).toMatchObject({ errorCode: PF_P | PF_W | PF_U });
    const m3 = x86Machine(x86asm('mov rax, [0x700000]'));
    m3.map(0x700000, 0x700000, { user: false });
    expect(m3.run()).toMatchObject({ errorCode: PF_P | PF_U });
    const m4 = x86Machine(x86asm('mov rax, 0x700000\njmp rax'));
    m4.map(0x700000, 0x700000, { executable: false });
    expect(m4.run()).toMatchObject({ errorCode: PF_P | PF_U | PF_I, cr2: 0x700000, rip: 0x700000 });
  });

  it('CR0.WP decides supervisor writes to read-only pages', () => {
    const m = x86Machine(x86asm('mov byte ptr [0x700000], 1'));
    m.map(0x700000, 0x700000, { writable: false });
    m.cpu.cpl = 0;
    expect(m.run()).toMatchObject({ vector: Vector.PF, errorCode: PF_P | PF_W });
    m.cpu.setCr0(m.cpu.cr0 & ~(1 << 16));
    m.cpu.rip = CODE;
    m.runToBreakpoint();
    expect(m.phys.bytes[0x700000]).toBe(1);
  });

  it('a page-crossing instruction, and one whose second page is missing (#PF on the fetch, RIP at the start)', () => {
    const code = x86asm('mov rax, 0x1122334455667788');
    const m = new X86TestMachine();
    m.phys.writeBytes(0x40_1000 - 4, Uint8Array.from([...code, 0xcc]));
    m.cpu.rip = 0x40_1000 - 4;
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(0x1122334455667788n);
    m.unmap(0x40_1000);
    m.cpu.rip = 0x40_1000 - 4;
    expect(m.run()).toMatchObject({ vector: Vector.PF, cr2: 0x40_1000, rip: 0x40_1000 - 4, errorCode: PF_U | PF_I });
  });

  it('stores into decoded code invalidate it (self-modifying code)', () => {
    const m = x86Machine(x86asm(`
      mov ecx, 2
    1: mov eax, 1
      lea rbx, [rip + 1b]
      mov byte ptr [rbx + 1], 5
      dec ecx
      jnz 1b
    `));
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(5n);
  });

  it('PCID-tagged TLB: a CR3 write with the no-flush bit keeps stale entries of that PCID; INVLPG drops them', () => {
    const m = x86Machine(x86asm('mov rax, [0x700000]'));
    const cpu: X86Cpu = m.cpu;
    cpu.setCr4(cpu.cr4 | CR4_PCIDE | CR4_PAE);
    cpu.setCr3(0x1000 | 5, 0);
    m.phys.write64(0x700000, 111, 0);
    m.phys.write64(0x710000, 222, 0);
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(111n);
    // Remap the page behind the TLB's back, then reload CR3 with no-flush: the stale entry still answers.
    m.map(0x700000, 0x710000);
    m.phys.write64(0x1000, m.phys.read64lo(0x1000), m.phys.read64hi(0x1000));
    cpu.setCr3(0x1000 | 5, 0x80000000);
    cpu.rip = CODE;
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(222n); // map() itself issued INVLPG
    m.phys.write64(0x1000 * 0 + findPte(m, 0x700000), 0x700000 | 7, 0);
    cpu.setCr3(0x1000 | 5, 0x80000000);
    cpu.rip = CODE;
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(222n); // stale: no flush, no INVLPG
    cpu.setCr3(0x1000 | 5, 0);
    cpu.rip = CODE;
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(111n);
  });

  it('hot blocks compile to straight-line functions and loops keep exact counts', () => {
    const m = x86Machine(x86asm('xor eax, eax\nmov ecx, 200000\n1: add rax, rcx\nsub ecx, 1\njnz 1b'));
    m.cpu.hotBlockRuns = 100;
    m.runToBreakpoint(10_000_000);
    expect(m.reg(RAX)).toBe(200000n * 200001n / 2n);
    expect(m.cpu.retired).toBe(2 + 3 * 200000 + 1);
    void RBX; void RBP; void DATA;
  });
});

function findPte(m: X86TestMachine, va: number): number {
  let table = 0x1000;
  for (let level = 0; level < 3; level++) table = m.phys.read64lo(table + (Math.floor(va / 2 ** (39 - 9 * level)) % 512) * 8) & ~0xfff;
  return table + (Math.floor(va / 4096) % 512) * 8;
}

describe('x86 self-modifying code inside the executing block', () => {
  it('a store to the next instruction of the same block takes effect (interpreted and compiled blocks)', () => {
    for (const hot of [1_000_000, 1]) {
      const m = x86Machine(x86asm(`
        lea rbx, [rip + 1f]
        mov byte ptr [rbx + 1], 7
      1: mov eax, 1
        add ecx, eax
      `));
      m.cpu.hotBlockRuns = hot;
      m.runToBreakpoint();
      expect(m.reg(RAX), `hotBlockRuns ${hot}`).toBe(7n);
      expect(m.reg(RCX)).toBe(7n);
      expect(m.cpu.retired).toBe(5);
    }
  });

  it('a compiled looping block that stores into itself on its last iteration stops after the store', () => {
    const m = x86Machine(x86asm(`
      mov esi, 4
      xor ecx, ecx
    2: lea rbx, [rip + 1f + 1]
      mov rdx, 0x500000
      cmp esi, 1
      cmove rdx, rbx
      mov byte ptr [rdx], 7
    1: mov eax, 1
      add ecx, eax
      dec esi
      jnz 2b
    `));
    m.cpu.hotBlockRuns = 1;
    m.runToBreakpoint();
    expect(m.reg(RCX)).toBe(1n + 1n + 1n + 7n);
    expect(m.cpu.retired).toBe(2 + 4 * 9 + 1);
  });
});

describe('x86 dead-flag elimination keeps faults precise', () => {
  it('flags at a faulting load are those of the instruction before it, even when a later one overwrites them', () => {
    const m = x86Machine(x86asm('mov eax, -1\nadd eax, 1\nmov rcx, [0x900000]\ncmp eax, 5\nmov ebx, 2'));
    const t = m.run();
    expect(t).toMatchObject({ vector: Vector.PF, cr2: 0x900000 });
    // ADD -1 + 1: CF, ZF, PF, AF set; SF, OF clear.
    expect(m.rflags() & 0x8d5).toBe(0x1 | 0x4 | 0x10 | 0x40);
  });

  it('flags overwritten without a fault in between are skipped, and the result is unchanged', () => {
    const m = x86Machine(x86asm('mov eax, -1\nadd eax, 1\nshl eax, 3\nimul eax, eax\nxor ecx, ecx\ncmp ecx, 1'));
    m.runToBreakpoint();
    expect(m.reg(RAX)).toBe(0n);
    expect(m.rflags() & 0x8d5).toBe(0x1 | 0x4 | 0x10 | 0x80); // 0 - 1: CF, PF, AF, SF
  });
});
