// Bit operations, moves and extensions, conditional moves/sets, exchanges
// and string instructions against the host CPU.

import { describe, it } from 'vitest';
import { CONDITION_NAMES } from '../../board/x86_64/flags';
import { blockCases, BlockInput, expectSameAsNative, values } from './oracle-blocks';

const ALL = 0x8d5;

function inputs(seed: number, n: number, extra: Record<string, bigint> = {}): BlockInput[] {
  const a = values(seed, n);
  const b = values(seed + 11, n);
  return a.map((x, k) => ({ regs: { rax: x, rbx: b[k], ...extra }, flags: [0, 0x8d5, 0x41, 0x880, 0x4][k % 5] }));
}

describe('x86 bit operations against the host CPU', () => {
  it('bt/bts/btr/btc with register and immediate offsets, registers and memory', () => {
    for (const op of ['bt', 'bts', 'btr', 'btc']) {
      for (const [d, s] of [['ax', 'bx'], ['eax', 'ebx'], ['rax', 'rbx']]) {
        expectSameAsNative(blockCases(`${op} ${d}, ${s}`, inputs(d.length + op.length, 12), ['rax'], 0x41));
        expectSameAsNative(blockCases(`${op} ${d}, 13`, inputs(d.length + 1, 6), ['rax'], 0x41));
      }
      // A register offset reaches beyond the addressed word, forwards and backwards.
      const offs = [0n, 5n, 63n, 64n, 200n, -1n, -64n, -100n, 1000n];
      const mem: BlockInput[] = offs.map((o) => ({ regs: { rbx: o, rsi: 0x500080n }, flags: 0 }));
      expectSameAsNative(blockCases(`mov qword ptr [0x500080], 0x5a5a\nmov qword ptr [0x500040], -2\n${op} qword ptr [rsi], rbx\nmov rax, [rsi]\nmov rcx, [0x500040]`, mem, ['rax', 'rcx'], 0x41));
      expectSameAsNative(blockCases(`mov dword ptr [0x500080], 0x12345678\n${op} dword ptr [rsi], ebx\nmov eax, [rsi]`, mem.filter((m) => m.regs.rbx! < 128n && m.regs.rbx! > -100n), ['rax'], 0x41));
      expectSameAsNative(blockCases(`mov qword ptr [0x500080], -1\n${op} word ptr [rsi], 35\nmov rax, [rsi]`, mem.slice(0, 2), ['rax'], 0x41));
    }
  });
  it('bsf/bsr (ZF; destination kept for a zero source), popcnt, tzcnt/lzcnt as bsf/bsr', () => {
    const ins = inputs(3, 20).concat([{ regs: { rax: 0n, rbx: 0n, rcx: 0x1234n } }, { regs: { rax: 0x100n, rbx: 0n, rcx: -1n } }]);
    for (const op of ['bsf', 'bsr']) {
      for (const d of ['cx', 'ecx', 'rcx']) {
        const s = d.replace('c', 'a');
        expectSameAsNative(blockCases(`${op} ${d}, ${s}`, ins, ['rcx'], 0x40));
        expectSameAsNative(blockCases(`${op} ${d}, ${d.replace('c', 'b')}`, ins, ['rcx'], 0x40));
      }
    }
    for (const d of ['cx', 'ecx', 'rcx']) expectSameAsNative(blockCases(`popcnt ${d}, ${d.replace('c', 'a')}`, ins, ['rcx'], ALL));
  });
});

describe('x86 moves against the host CPU', () => {
  it('movzx/movsx/movsxd, cbw..cqo, bswap, lea forms', () => {
    const ins = inputs(5, 12, { rcx: 0x1122334455667788n });
    for (const code of [
      'movzx ecx, al', 'movzx rcx, bx', 'movzx cx, ah', 'movsx rcx, al', 'movsx ecx, bx', 'movsx cx, bl', 'movsxd rcx, eax', 'movsx rcx, byte ptr [0x500000]',
      'cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo', 'bswap ecx', 'bswap rbx',
      'lea rcx, [rax + rbx*8 - 5]', 'lea ecx, [rax + rbx*2 + 0x7fffffff]', 'lea cx, [rbx + 3]', 'lea rcx, [rax*4]', 'lea rcx, [eax + ebx]', 'lea rcx, [rbx + rax]',
    ]) expectSameAsNative(blockCases(`mov qword ptr [0x500000], rbx\n${code}`, ins, ['rax', 'rbx', 'rcx', 'rdx'], ALL));
  });
  it('mov forms, xchg, moffs, high-byte registers', () => {
    const ins = inputs(6, 8, { rcx: 0x1122334455667788n, rsi: 0x500010n });
    for (const code of [
      'mov ah, bl', 'mov bh, al', 'mov r9b, al\nmov rcx, r9', 'mov cx, bx', 'mov ecx, ebx', 'mov qword ptr [rsi + 8], -5\nmov rcx, [rsi + 8]',
      'mov byte ptr [rsi], al\nmov word ptr [rsi + 1], bx\nmov rcx, [rsi]', 'xchg rax, rbx', 'xchg eax, ebx', 'xchg ax, bx', 'xchg al, bh', 'xchg ecx, eax',
      'mov [rsi], rbx\nxchg [rsi], rax\nmov rcx, [rsi]', 'movabs al, [0x500010]', 'movabs [0x500018], rax\nmov rcx, [0x500018]', 'mov rcx, 0x123456789',
      'mov ecx, -1', 'mov rcx, -1', 'mov cl, -1', 'mov cx, -1', 'mov [rsi + 0x10], rbx\nmov rbx, rsi\nmov eax, 0x13\nxlatb',
    ]) expectSameAsNative(blockCases(code, ins, ['rax', 'rbx', 'rcx'], ALL));
  });
  it('cmovcc (a 32-bit destination is zero-extended even when not moved) and setcc for all 16 conditions', () => {
    const ins: BlockInput[] = [];
    for (let f = 0; f < 32; f++) {
      const flags = (f & 1 ? 0x1 : 0) | (f & 2 ? 0x4 : 0) | (f & 4 ? 0x40 : 0) | (f & 8 ? 0x80 : 0) | (f & 16 ? 0x800 : 0);
      ins.push({ regs: { rax: 0x1111111122222222n, rbx: 0x3333333344444444n, rcx: -1n }, flags });
    }
    for (let cc = 0; cc < 16; cc++) {
      const n = CONDITION_NAMES[cc];
      expectSameAsNative(blockCases(`cmov${n} rax, rbx\nset${n} cl\ncmov${n} ebx, ecx`, ins, ['rax', 'rbx', 'rcx'], ALL));
    }
  });
  it('compare-and-branch idioms: cmp + jcc for all conditions', () => {
    const ins = inputs(9, 30);
    for (let cc = 0; cc < 16; cc++) {
      const n = CONDITION_NAMES[cc];
      expectSameAsNative(blockCases(`mov rcx, -1\nmov rdx, 7\nmov r8, -1\ncmp eax, ebx\ncmov${n} rcx, rdx\nset${n} r8b\ncmp rax, rbx\ncmov${n} edx, eax\nset${n} bh`, ins, ['rbx', 'rcx', 'rdx', 'r8'], ALL));
      expectSameAsNative(blockCases(`xor ecx, ecx\ncmp eax, ebx\nj${n} 1f\nmov ecx, 1\n1: cmp rax, rbx\nj${n} 2f\nadd ecx, 2\n2: test al, bl\nj${n} 3f\nadd ecx, 4\n3:`, ins, ['rcx'], ALL));
    }
  });
});

describe('x86 string and atomic instructions against the host CPU', () => {
  const buf = Array.from({ length: 64 }, (_, i) => (i * 37 + 5) & 0xff);
  it('movs/stos/lods/scas/cmps, with REP/REPE/REPNE, forwards and backwards (DF)', () => {
    const codes = [
      'mov rsi, 0x500000\nmov rdi, 0x500080\nmov ecx, 17\nrep movsb',
      'mov rsi, 0x500000\nmov rdi, 0x500080\nmov ecx, 5\nrep movsq',
      'mov rsi, 0x500038\nmov rdi, 0x5000b8\nmov ecx, 7\nstd\nrep movsd\ncld',
      'mov rdi, 0x500080\nmov ecx, 9\nmov rax, 0x0102030405060708\nrep stosw',
      'mov rdi, 0x500080\nmov ecx, 0\nrep stosb',
      'mov rsi, 0x500004\nlodsd\nlodsw\nlodsb',
      'mov rdi, 0x500000\nmov ecx, 64\nmov al, 0x2a\nrepne scasb',
      'mov rdi, 0x500000\nmov ecx, 64\nmov al, 5\nrepe scasb',
      'mov rsi, 0x500000\nmov rdi, 0x500000\nmov ecx, 16\nrepe cmpsd',
      'mov rsi, 0x500000\nmov rdi, 0x500001\nmov ecx, 16\nrepe cmpsb',
      'mov rsi, 0x500000\nmov rdi, 0x500008\nmov ecx, 16\nrepne cmpsw',
      'mov rsi, 0x500000\nmov rdi, 0x500010\nmovsq\nmovsb\nstosd',
      'mov esi, 0x500000\nmov edi, 0x500040\nmov ecx, 3\naddr32 rep movsd',
    ];
    for (const code of codes) expectSameAsNative([{ code, buf, flags: 0 }]);
  });
  it('xadd, cmpxchg in every width, cmpxchg8b/16b (equal and unequal)', () => {
    const ins = inputs(12, 10, { rsi: 0x500040n, rcx: 0x5555n });
    for (const code of ['xadd rax, rbx', 'xadd ebx, eax', 'xadd al, bl', 'xadd ax, ax', 'mov [rsi], rbx\nlock xadd [rsi], rax\nmov rbx, [rsi]']) {
      expectSameAsNative(blockCases(code, ins, ['rax', 'rbx'], ALL));
    }
    for (const code of [
      'cmpxchg rcx, rbx', 'cmpxchg ecx, ebx', 'cmpxchg cl, bl', 'mov rcx, rax\ncmpxchg rcx, rbx', 'mov ecx, eax\ncmpxchg ecx, ebx',
      'mov [rsi], rax\nlock cmpxchg [rsi], rbx\nmov rcx, [rsi]', 'mov [rsi], rcx\nlock cmpxchg [rsi], ebx\nmov rcx, [rsi]',
    ]) expectSameAsNative(blockCases(code, ins, ['rax', 'rbx', 'rcx'], ALL));
    const wide: BlockInput[] = [
      { regs: { rax: 1n, rdx: 2n, rbx: 3n, rcx: 4n, rsi: 0x500040n } },
      { regs: { rax: 9n, rdx: 2n, rbx: 3n, rcx: 4n, rsi: 0x500040n } },
    ];
    expectSameAsNative(blockCases('mov qword ptr [rsi], 1\nmov qword ptr [rsi+8], 2\nlock cmpxchg16b [rsi]\nmov rbx, [rsi]\nmov rcx, [rsi+8]', wide, ['rax', 'rdx', 'rbx', 'rcx'], ALL));
    expectSameAsNative(blockCases('mov dword ptr [rsi], 1\nmov dword ptr [rsi+4], 2\ncmpxchg8b [rsi]\nmov rbx, [rsi]', wide, ['rax', 'rdx', 'rbx'], ALL));
  });
});
