// The rest of the identification space (op0=3, op1=0, CRn=0, CRm=1..7): the
// AArch32 ID registers with the values QEMU's cortex-a57 reads at EL1 on the
// virt board (no EL2 or EL3, so ID_PFR1 and ID_DFR0 lack those fields), and
// RAZ for every encoding the architecture reserves there. The AArch64 ones
// live in system-registers.ts; CRm=0 besides MIDR/MPIDR/REVIDR stays UNDEFINED.

/** [CRm, op2, name, value]: the allocated registers that are not AArch64 ones. */
const AARCH32_IDS: readonly (readonly [number, number, string, number])[] = [
  [1, 0, 'ID_PFR0_EL1', 0x00000131],
  [1, 1, 'ID_PFR1_EL1', 0x00010001],
  [1, 2, 'ID_DFR0_EL1', 0x03010006],
  [1, 3, 'ID_AFR0_EL1', 0],
  [1, 4, 'ID_MMFR0_EL1', 0x10101105],
  [1, 5, 'ID_MMFR1_EL1', 0x40000000],
  [1, 6, 'ID_MMFR2_EL1', 0x01260000],
  [1, 7, 'ID_MMFR3_EL1', 0x02102211],
  [2, 0, 'ID_ISAR0_EL1', 0x02101110],
  [2, 1, 'ID_ISAR1_EL1', 0x13112111],
  [2, 2, 'ID_ISAR2_EL1', 0x21232042],
  [2, 3, 'ID_ISAR3_EL1', 0x01112131],
  [2, 4, 'ID_ISAR4_EL1', 0x00011142],
  [2, 5, 'ID_ISAR5_EL1', 0x00011121],
  [2, 6, 'ID_MMFR4_EL1', 0],
  [2, 7, 'ID_ISAR6_EL1', 0],
  [3, 0, 'MVFR0_EL1', 0x10110222],
  [3, 1, 'MVFR1_EL1', 0x12111111],
  [3, 2, 'MVFR2_EL1', 0x00000043],
];

/** Every (CRm, op2) of CRm 1..7 with its name and value; `taken` says which the caller already defines. */
export function identificationSpace(taken: (crm: number, op2: number) => boolean): [number, number, string, number][] {
  const out: [number, number, string, number][] = [];
  const known = new Map(AARCH32_IDS.map(([crm, op2, name, v]) => [crm * 8 + op2, [name, v] as const]));
  for (let crm = 1; crm <= 7; crm++) {
    for (let op2 = 0; op2 <= 7; op2++) {
      if (taken(crm, op2)) continue;
      const k = known.get(crm * 8 + op2);
      out.push([crm, op2, k?.[0] ?? `ID_RAZ_c0_c${crm}_${op2}`, k?.[1] ?? 0]);
    }
  }
  return out;
}
