// The peripheral and PrimeCell identification registers at 0xFE0..0xFFC of an AMBA device.

export const PRIMECELL_ID_OFFSET = 0xfe0;

/** The byte the id register at `offset` reads, or undefined when offset is not an id register. */
export function primeCellIdByte(peripheralId: readonly number[], offset: number): number | undefined {
  if (offset < PRIMECELL_ID_OFFSET || offset > 0xffc || (offset & 3) !== 0) return undefined;
  const i = (offset - PRIMECELL_ID_OFFSET) >> 2;
  const cellId = [0x0d, 0xf0, 0x05, 0xb1];
  return i < 4 ? peripheralId[i] : cellId[i - 4];
}
