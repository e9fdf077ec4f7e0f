// Crypto extension: whole AES-128 and SHA-1/SHA-256 computations written with
// the AES and SHA instructions, checked against FIPS test vectors and node's
// crypto module.

import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DATA, machine } from './machine';

// ---- AES-128 key expansion (FIPS-197 section 5.2), test-side ----

function gmul(a: number, b: number): number {
  let r = 0;
  for (; b; b >>= 1, a = (a << 1) ^ (a & 0x80 ? 0x11b : 0)) if (b & 1) r ^= a;
  return r;
}

function sbox(x: number): number {
  let inv = 0;
  for (let y = 1; y < 256 && x; y++) if (gmul(x, y) === 1) inv = y;
  let s = inv;
  for (let k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >> (8 - k))) & 0xff;
  return s ^ 0x63;
}

/** The 11 round keys, 16 bytes each, in the byte order AESE consumes. */
function expandKey(key: Uint8Array): Uint8Array {
  const w = new Uint8Array(176);
  w.set(key);
  let rcon = 1;
  for (let i = 16; i < 176; i += 4) {
    let t = [...w.subarray(i - 4, i)];
    if (i % 16 === 0) {
      t = [sbox(t[1]) ^ rcon, sbox(t[2]), sbox(t[3]), sbox(t[0])];
      rcon = gmul(rcon, 2);
    }
    for (let k = 0; k < 4; k++) w[i + k] = w[i - 16 + k] ^ t[k];
  }
  return w;
}

/** Encrypts then decrypts one block with AESE/AESMC and AESD/AESIMC; returns [ciphertext, plaintext again]. */
function runAes(key: Uint8Array, block: Uint8Array): [Uint8Array, Uint8Array] {
  const roundKey = (r: number) => `add x2, x1, #${16 * r}\nld1 {v1.16b}, [x2]`;
  const lines: string[] = ['ld1 {v0.16b}, [x0]'];
  for (let r = 0; r < 9; r++) lines.push(roundKey(r), 'aese v0.16b, v1.16b', 'aesmc v0.16b, v0.16b');
  lines.push(roundKey(9), 'aese v0.16b, v1.16b', roundKey(10), 'eor v0.16b, v0.16b, v1.16b', 'mov v5.16b, v0.16b');
  // Equivalent inverse cipher: AESD adds its key before InvMixColumns, so the middle keys go through AESIMC.
  lines.push('aesd v0.16b, v1.16b', 'aesimc v0.16b, v0.16b');
  for (let r = 9; r >= 1; r--) {
    lines.push(roundKey(r), 'aesimc v1.16b, v1.16b', 'aesd v0.16b, v1.16b');
    if (r > 1) lines.push('aesimc v0.16b, v0.16b');
  }
  lines.push(roundKey(0), 'eor v0.16b, v0.16b, v1.16b');
  const m = machine(lines.join('\n'), (cpu) => {
    cpu.state.setX(0, DATA);
    cpu.state.setX(1, DATA + 16);
  });
  m.phys.writeBytes(DATA, block);
  m.phys.writeBytes(DATA + 16, expandKey(key));
  expect(m.run()).toBe(0x3c);
  return [m.cpu.state.getV(5), m.cpu.state.getV(0)];
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('AES instructions', () => {
  it('encrypt the FIPS-197 appendix B block and decrypt it back', () => {
    const key = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex');
    const input = Buffer.from('3243f6a8885a308d313198a2e0370734', 'hex');
    const [cipher, plain] = runAes(key, input);
    expect(hex(cipher)).toBe('3925841d02dc09fbdc118597196a0b32');
    expect(hex(plain)).toBe(hex(input));
  });

  it('agree with node crypto on random keys and blocks', () => {
    for (let i = 0; i < 3; i++) {
      const key = randomBytes(16);
      const block = randomBytes(16);
      const c = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
      const expected = Buffer.concat([c.update(block), c.final()]);
      const [cipher, plain] = runAes(key, block);
      expect(hex(cipher)).toBe(expected.toString('hex'));
      expect(hex(plain)).toBe(hex(block));
    }
  });
});

// ---- SHA, one padded 64-byte block ----

function padBlock(message: string): Uint8Array {
  const block = new Uint8Array(64);
  const bytes = Buffer.from(message);
  block.set(bytes);
  block[bytes.length] = 0x80;
  new DataView(block.buffer).setUint32(60, bytes.length * 8);
  return block;
}

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311];

/** First 32 bits of the fractional part of p^(1/root). */
const fracBits = (p: number, root: number) => Math.floor((p ** (1 / root) % 1) * 2 ** 32) >>> 0;

function words(values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  values.forEach((v, i) => new DataView(out.buffer).setUint32(4 * i, v, true));
  return out;
}

function digestOf(v0: Uint8Array, v1: Uint8Array | undefined, count: number): string {
  const all = v1 ? [v0, v1] : [v0];
  const ws = all.flatMap((v) => [0, 1, 2, 3].map((i) => new DataView(v.buffer, v.byteOffset).getUint32(4 * i, true)));
  return ws.slice(0, count).map((w) => w.toString(16).padStart(8, '0')).join('');
}

function sha256Program(): string {
  return `
    ld1 {v0.4s, v1.4s}, [x2]
    ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [x0]
    rev32 v4.16b, v4.16b
    rev32 v5.16b, v5.16b
    rev32 v6.16b, v6.16b
    rev32 v7.16b, v7.16b
    mov v2.16b, v0.16b
    mov v3.16b, v1.16b
    mov x3, #16
  1:
    ld1 {v16.4s}, [x1], #16
    add v16.4s, v16.4s, v4.4s
    sha256su0 v4.4s, v5.4s
    mov v17.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q17, v16.4s
    sha256su1 v4.4s, v6.4s, v7.4s
    mov v18.16b, v4.16b
    mov v4.16b, v5.16b
    mov v5.16b, v6.16b
    mov v6.16b, v7.16b
    mov v7.16b, v18.16b
    subs x3, x3, #1
    b.ne 1b
    add v0.4s, v0.4s, v2.4s
    add v1.4s, v1.4s, v3.4s
  `;
}

function sha1Program(): string {
  const lines = [
    'ld1 {v0.4s}, [x2]',
    'ldr s1, [x2, #16]',
    'ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [x0]',
    'rev32 v4.16b, v4.16b',
    'rev32 v5.16b, v5.16b',
    'rev32 v6.16b, v6.16b',
    'rev32 v7.16b, v7.16b',
    'ld1r {v16.4s}, [x1], #4',
    'ld1r {v17.4s}, [x1], #4',
    'ld1r {v18.4s}, [x1], #4',
    'ld1r {v19.4s}, [x1], #4',
    'mov v2.16b, v0.16b',
    'mov v3.16b, v1.16b',
  ];
  for (let g = 0; g < 20; g++) {
    const op = g < 5 ? 'sha1c' : g < 10 || g >= 15 ? 'sha1p' : 'sha1m';
    lines.push(`add v20.4s, v4.4s, v${16 + Math.floor(g / 5)}.4s`, 'sha1h s21, s0', `${op} q0, s1, v20.4s`, 'mov v1.16b, v21.16b');
    lines.push('sha1su0 v4.4s, v5.4s, v6.4s', 'sha1su1 v4.4s, v7.4s');
    lines.push('mov v22.16b, v4.16b', 'mov v4.16b, v5.16b', 'mov v5.16b, v6.16b', 'mov v6.16b, v7.16b', 'mov v7.16b, v22.16b');
  }
  lines.push('add v0.4s, v0.4s, v2.4s', 'add v1.4s, v1.4s, v3.4s');
  return lines.join('\n');
}

function runSha(program: string, message: string, constants: number[], initial: number[]): ReturnType<typeof machine> {
  const m = machine(program, (cpu) => {
    cpu.state.setX(0, DATA);
    cpu.state.setX(1, DATA + 64);
    cpu.state.setX(2, DATA + 0x200);
  });
  m.phys.writeBytes(DATA, padBlock(message));
  m.phys.writeBytes(DATA + 64, words(constants));
  m.phys.writeBytes(DATA + 0x200, words(initial));
  expect(m.run()).toBe(0x3c);
  return m;
}

describe('SHA instructions', () => {
  const k256 = PRIMES.map((p) => fracBits(p, 3));
  const h256 = PRIMES.slice(0, 8).map((p) => fracBits(p, 2));

  it('compute SHA-256("abc") with SHA256H/H2/SU0/SU1', () => {
    const m = runSha(sha256Program(), 'abc', k256, h256);
    const digest = digestOf(m.cpu.state.getV(0), m.cpu.state.getV(1), 8);
    expect(digest).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('agree with node crypto on other one-block SHA-256 messages', () => {
    for (const msg of ['', 'salty', 'x'.repeat(55)]) {
      const m = runSha(sha256Program(), msg, k256, h256);
      expect(digestOf(m.cpu.state.getV(0), m.cpu.state.getV(1), 8)).toBe(createHash('sha256').update(msg).digest('hex'));
    }
  });

  it('compute SHA-1("abc") and others with SHA1C/P/M/H/SU0/SU1', () => {
    const k1 = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
    const h1 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
    for (const msg of ['abc', '', 'The quick brown fox']) {
      const m = runSha(sha1Program(), msg, k1, h1);
      expect(digestOf(m.cpu.state.getV(0), m.cpu.state.getV(1), 5)).toBe(createHash('sha1').update(msg).digest('hex'));
    }
  });
});
