// Decoding of the TCR_EL1 fields the stage-1 walker needs (Arm ARM D5.2, D13.2 TCR_EL1).

/** log2 of the translation granule selected by TCR_EL1.TG0 (00 4K, 01 64K, 10 16K). */
export function tg0GrainShift(tg0: number): number {
  switch (tg0 & 3) {
    case 1:
      return 16;
    case 2:
      return 14;
    default:
      return 12; // 11 is reserved: treated as 4 KiB, as an implementation may
  }
}

/** log2 of the translation granule selected by TCR_EL1.TG1 (01 16K, 10 4K, 11 64K). */
export function tg1GrainShift(tg1: number): number {
  switch (tg1 & 3) {
    case 1:
      return 14;
    case 3:
      return 16;
    default:
      return 12; // 00 is reserved: treated as 4 KiB
  }
}

const IPS_BITS = [32, 36, 40, 42, 44, 48, 52, 48];

/** Physical output size in bits: TCR.IPS limited by the implemented PARange (a 52-bit or reserved IPS acts as 48 without FEAT_LPA). */
export function outputAddressBits(ips: number, paRangeBits: number): number {
  const bits = Math.min(IPS_BITS[ips & 7], 48);
  return Math.min(bits, paRangeBits);
}

/** TxSZ values outside the v8.0 range [16, 39] behave as the nearest legal value (one of the permitted IMPLEMENTATION DEFINED choices). */
export function clampTxsz(txsz: number): number {
  return txsz < 16 ? 16 : txsz > 39 ? 39 : txsz;
}

/** The level at which a walk starts: enough levels of (grainShift - 3) bits each to cover the input bits above the page offset. */
export function startLevel(inputBits: number, grainShift: number): number {
  const stride = grainShift - 3;
  return 4 - Math.ceil((inputBits - grainShift) / stride);
}

/** The lowest level at which a block descriptor is allowed (v8.0, 48-bit output): level 1 for 4 KiB, level 2 for 16 and 64 KiB. */
export function firstBlockLevel(grainShift: number): number {
  return grainShift === 12 ? 1 : 2;
}
