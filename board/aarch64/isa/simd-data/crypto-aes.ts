// Crypto extension, AES: AESE, AESD (AddRoundKey, (Inv)ShiftRows,
// (Inv)SubBytes) and AESMC, AESIMC ((Inv)MixColumns) on the 16-byte state,
// column-major (byte i is row i % 4 of column i / 4).

import { bits, Encoding, Handler } from '../../decoder';
import { tmpU, tmpW, vecViews } from './lanes';

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
function gmul(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) r ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
    b >>= 1;
  }
  return r;
}

function buildSbox(): { sbox: Uint8Array; inv: Uint8Array } {
  const sbox = new Uint8Array(256);
  const inv = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    let y = 0;
    if (x !== 0) for (y = 1; gmul(x, y) !== 1; y++);
    let s = y;
    for (let k = 1; k <= 4; k++) s ^= ((y << k) | (y >>> (8 - k))) & 0xff;
    s ^= 0x63;
    sbox[x] = s;
    inv[s] = x;
  }
  return { sbox, inv };
}

interface AesTables {
  readonly sbox: Uint8Array;
  readonly inv: Uint8Array;
  /** x * k in GF(2^8) for k = 2, 3, 9, 11, 13, 14. */
  readonly mul: readonly Uint8Array[];
}

let tables: AesTables | undefined;

/** Built when the first AES instruction is decoded, not at every start (the S-box's inverse search is ~10 ms of cold code). */
function aesTables(): AesTables {
  tables ??= { ...buildSbox(), mul: [2, 3, 9, 11, 13, 14].map((k) => Uint8Array.from({ length: 256 }, (_, x) => gmul(x, k))) };
  return tables;
}

/** Source byte of each state byte after ShiftRows (row r rotates left by r) or its inverse. */
const SHIFT = Int32Array.from({ length: 16 }, (_, i) => (i % 4) + 4 * ((Math.floor(i / 4) + (i % 4)) % 4));
const INV_SHIFT = Int32Array.from({ length: 16 }, (_, i) => (i % 4) + 4 * ((Math.floor(i / 4) - (i % 4) + 4) % 4));

function aesRound(decrypt: boolean): Handler {
  const shift = decrypt ? INV_SHIFT : SHIFT;
  return (insn, ctx) => {
    const box = decrypt ? aesTables().inv : aesTables().sbox;
    const { u, vw } = vecViews(ctx.cpu);
    const vb = u[0];
    const tb = tmpU[0];
    const n4 = 4 * bits(insn, 9, 5);
    const d4 = 4 * bits(insn, 4, 0);
    const d16 = 4 * d4;
    return () => {
      for (let i = 0; i < 4; i++) tmpW[4 + i] = vw[d4 + i] ^ vw[n4 + i];
      for (let i = 0; i < 16; i++) vb[d16 + i] = box[tb[16 + shift[i]]];
    };
  };
}

function mixColumns(inverse: boolean): Handler {
  return (insn, ctx) => {
    const [M2, M3, M9, M11, M13, M14] = aesTables().mul;
    const { u, vw } = vecViews(ctx.cpu);
    const vb = u[0];
    const tb = tmpU[0];
    const n4 = 4 * bits(insn, 9, 5);
    const d16 = 16 * bits(insn, 4, 0);
    return () => {
      for (let i = 0; i < 4; i++) tmpW[4 + i] = vw[n4 + i];
      for (let c = 16; c < 32; c += 4) {
        const a0 = tb[c];
        const a1 = tb[c + 1];
        const a2 = tb[c + 2];
        const a3 = tb[c + 3];
        const o = d16 + c - 16;
        if (inverse) {
          vb[o] = M14[a0] ^ M11[a1] ^ M13[a2] ^ M9[a3];
          vb[o + 1] = M9[a0] ^ M14[a1] ^ M11[a2] ^ M13[a3];
          vb[o + 2] = M13[a0] ^ M9[a1] ^ M14[a2] ^ M11[a3];
          vb[o + 3] = M11[a0] ^ M13[a1] ^ M9[a2] ^ M14[a3];
        } else {
          vb[o] = M2[a0] ^ M3[a1] ^ a2 ^ a3;
          vb[o + 1] = a0 ^ M2[a1] ^ M3[a2] ^ a3;
          vb[o + 2] = a0 ^ a1 ^ M2[a2] ^ M3[a3];
          vb[o + 3] = M3[a0] ^ a1 ^ a2 ^ M2[a3];
        }
      }
    };
  };
}

export const cryptoAes: Encoding[] = [
  { name: 'AESE', pattern: '0100111000101000010010nnnnnddddd', handler: aesRound(false) },
  { name: 'AESD', pattern: '0100111000101000010110nnnnnddddd', handler: aesRound(true) },
  { name: 'AESMC', pattern: '0100111000101000011010nnnnnddddd', handler: mixColumns(false) },
  { name: 'AESIMC', pattern: '0100111000101000011110nnnnnddddd', handler: mixColumns(true) },
];
