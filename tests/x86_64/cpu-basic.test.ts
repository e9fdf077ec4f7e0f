import { describe, expect, it } from 'vitest';
import { RAX, RBX, RCX, RDX, RSP } from '../../board/x86_64/cpu-state';
import { CF, OF, PF, SF, ZF, AF } from '../../board/x86_64/flags';
import { Vector } from '../../board/x86_64/x86-fault';
import { x86asm } from './x86-asm';
import { CODE, DATA, STACK_TOP, x86Machine } from './x86-test-machine';

function run(src: string, regs: Record<number, bigint | number> = {}) {
  const m = x86Machine(x86asm(src), regs);
  m.runToBreakpoint();
  return m;
}

describe('x86 CPU basics', () => {
  it('moves immediates and adds in 64 and 32 bits (32-bit writes zero-extend)', () => {
    const m = run(`
      mov rax, 0x123456789abcdef0
      mov rbx, -1
      add rax, rbx
      mov ecx, 0xffffffff
      add ecx, 1
    `);
    expect(m.reg(RAX)).toBe(0x123456789abcdeefn);
    expect(m.reg(RBX)).toBe(0xffffffffffffffffn);
    expect(m.reg(RCX)).toBe(0n);
    expect(m.rflags() & (CF | ZF | SF | OF | PF | AF)).toBe(CF | ZF | PF | AF);
  });

  it('runs a counted loop with a conditional branch', () => {
    const m = run(`
      xor eax, eax
      mov ecx, 100
    1: add eax, ecx
      dec ecx
      jnz 1b
    `);
    expect(m.reg(RAX)).toBe(5050n);
    expect(m.cpu.retired).toBe(2 + 300 + 1);
  });

  it('calls and returns through the stack, pushes and pops', () => {
    const m = run(`
      push 7
      call 1f
      pop rbx
      jmp 2f
    1: mov rax, [rsp + 8]
      ret
    2: nop
    `);
    expect(m.reg(RAX)).toBe(7n);
    expect(m.reg(RBX)).toBe(7n);
    expect(m.reg(RSP)).toBe(BigInt(STACK_TOP));
  });

  it('loads and stores memory with SIB addressing and RIP-relative operands', () => {
    const m = run(`
      mov rbx, ${DATA}
      mov rcx, 3
      mov qword ptr [rbx + rcx*8 + 16], 0x55
      mov rdx, [rbx + 40]
      lea rax, [rip + 1f]
      mov eax, dword ptr [rip + 1f]
      int3
    1: .long 0xdeadbeef
    `);
    expect(m.reg(RDX)).toBe(0x55n);
    expect(m.reg(RAX)).toBe(0xdeadbeefn);
  });

  it('stops at SYSCALL with RCX = next RIP and R11 = RFLAGS', () => {
    const m = x86Machine(x86asm('mov eax, 60\nsyscall\nnop'));
    const t = m.run();
    expect(t.kind).toBe('syscall');
    expect(m.reg(RCX)).toBe(BigInt(CODE + 7));
    expect(m.cpu.rip).toBe(CODE + 7);
    expect(m.reg(11)).toBe(BigInt(m.rflags()));
  });

  it('raises #UD with the instruction bytes for UD2 and an unknown encoding', () => {
    const m = x86Machine(x86asm('nop\nud2'));
    const t = m.run();
    expect(t).toMatchObject({ kind: 'exception', vector: Vector.UD, rip: CODE + 1 });
    expect([...t.bytes]).toEqual([0x0f, 0x0b]);
    const m2 = x86Machine(Uint8Array.from([0x06]));
    expect(m2.run()).toMatchObject({ vector: Vector.UD, rip: CODE });
  });

  it('raises #PF with CR2 and the error code, RIP at the faulting instruction', () => {
    const m = x86Machine(x86asm('mov rbx, 0x900000\nmov byte ptr [rbx], 1'));
    const t = m.run();
    expect(t).toMatchObject({ vector: Vector.PF, errorCode: 0x6, cr2: 0x900000, rip: CODE + 7 });
  });
});
