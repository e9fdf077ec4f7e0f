// CRC32 and CRC32C accumulation as the A64 instructions define it: the
// bit-reflected CRC of the data bytes, least significant byte first, with no
// initial or final inversion. Byte-at-a-time tables built once.

function reflectedTable(poly: number): Int32Array {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[i] = c;
  }
  return table;
}

/** CRC-32 (polynomial 0x04C11DB7), reflected. */
export const CRC32_TABLE = reflectedTable(0xedb88320);
/** CRC-32C (Castagnoli, polynomial 0x1EDC6F41), reflected. */
export const CRC32C_TABLE = reflectedTable(0x82f63b78);

/** The accumulator after `bytes` (1, 2 or 4) low-order bytes of value. */
export function crc32Update(table: Int32Array, acc: number, value: number, bytes: number): number {
  let c = acc;
  for (let i = 0; i < bytes; i++) {
    c = table[(c ^ (value >>> (8 * i))) & 0xff] ^ (c >>> 8);
  }
  return c | 0;
}
