// CPUID: the features this CPU implements, no more (glibc's ifunc resolvers
// and the kernel's AT_HWCAP read them). No AVX, no XSAVE, no BMI/ABM, no ERMS,
// no FSGSBASE, no RDTSCP: those instructions are #UD here.

// glibc reads the feature leaves only for the vendors it knows (for any other
// its dynamic loader sees no baseline ISA and refuses to start a program):
// the vendor string is Intel's, the brand string says what this is.
const VENDOR = 'GenuineIntel'; // 12 bytes: EBX, EDX, ECX as the vendor string is laid out
const BRAND = 'Salty x86-64 interpreter'.padEnd(48, '\0');

/** Leaf 1 EDX: FPU, TSC, CX8, CMOV, CLFSH, MMX, FXSR, SSE, SSE2. */
export const CPUID1_EDX = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 19) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);
/** Leaf 1 ECX: SSE3, SSSE3, CX16, SSE4.1, SSE4.2, POPCNT. */
export const CPUID1_ECX = (1 << 0) | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 20) | (1 << 23);
/** Leaf 0x80000001 EDX: SYSCALL, NX, LM; ECX: LAHF/SAHF in 64-bit mode. */
const EXT1_EDX = (1 << 11) | (1 << 20) | (1 << 29);
const EXT1_ECX = 1 << 0;

function ascii4(s: string, at: number): number {
  let v = 0;
  for (let k = 3; k >= 0; k--) v = (v << 8) | (s.charCodeAt(at + k) & 0xff);
  return v | 0;
}

/** [EAX, EBX, ECX, EDX] for CPUID leaf (EAX) and subleaf (ECX), each as int32. */
export function cpuid(leaf: number, subleaf: number): [number, number, number, number] {
  void subleaf;
  switch (leaf >>> 0) {
    case 0: return [7, ascii4(VENDOR, 0), ascii4(VENDOR, 8), ascii4(VENDOR, 4)];
    // Family 6 model 0 stepping 0; EBX: CLFLUSH line size 8 x 8 bytes, one logical processor.
    case 1: return [0x600, (1 << 16) | (8 << 8), CPUID1_ECX, CPUID1_EDX];
    case 0x80000000: return [0x80000008 | 0, 0, 0, 0];
    case 0x80000001: return [0, 0, EXT1_ECX, EXT1_EDX];
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
      const at = ((leaf >>> 0) - 0x80000002) * 16;
      return [ascii4(BRAND, at), ascii4(BRAND, at + 4), ascii4(BRAND, at + 8), ascii4(BRAND, at + 12)];
    }
    // 48-bit physical and linear addresses.
    case 0x80000008: return [0x3030, 0, 0, 0];
    // Leaves 2..7 and unknown ones below the maximum: nothing reported.
    default: return [0, 0, 0, 0];
  }
}
