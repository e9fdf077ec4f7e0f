// /proc/cpuinfo as x86_64 Linux prints it, from this CPU's CPUID: vendor,
// family/model/stepping, brand string, the flag names of the feature bits
// it reports (in Linux's capability-word order) and the address sizes.

import { cpuid } from '../../../board/x86_64/cpuid';

/** Linux's x86 flag names by bit: leaf 1 EDX, leaf 0x80000001 EDX, leaf 1 ECX, leaf 0x80000001 ECX. */
const LEAF1_EDX: Record<number, string> = { 0: 'fpu', 1: 'vme', 2: 'de', 3: 'pse', 4: 'tsc', 5: 'msr', 6: 'pae', 7: 'mce', 8: 'cx8', 9: 'apic', 11: 'sep', 12: 'mtrr', 13: 'pge', 14: 'mca', 15: 'cmov', 16: 'pat', 17: 'pse36', 18: 'pn', 19: 'clflush', 21: 'dts', 22: 'acpi', 23: 'mmx', 24: 'fxsr', 25: 'sse', 26: 'sse2', 27: 'ss', 28: 'ht', 29: 'tm', 30: 'ia64', 31: 'pbe' };
const EXT1_EDX: Record<number, string> = { 11: 'syscall', 19: 'mp', 20: 'nx', 22: 'mmxext', 25: 'fxsr_opt', 26: 'pdpe1gb', 27: 'rdtscp', 29: 'lm', 30: '3dnowext', 31: '3dnow' };
const LEAF1_ECX: Record<number, string> = { 0: 'pni', 1: 'pclmulqdq', 2: 'dtes64', 3: 'monitor', 4: 'ds_cpl', 5: 'vmx', 6: 'smx', 7: 'est', 8: 'tm2', 9: 'ssse3', 10: 'cid', 11: 'sdbg', 12: 'fma', 13: 'cx16', 14: 'xtpr', 15: 'pdcm', 17: 'pcid', 18: 'dca', 19: 'sse4_1', 20: 'sse4_2', 21: 'x2apic', 22: 'movbe', 23: 'popcnt', 24: 'tsc_deadline_timer', 25: 'aes', 26: 'xsave', 28: 'avx', 29: 'f16c', 30: 'rdrand', 31: 'hypervisor' };
const EXT1_ECX: Record<number, string> = { 0: 'lahf_lm', 1: 'cmp_legacy', 2: 'svm', 3: 'extapic', 4: 'cr8_legacy', 5: 'abm', 6: 'sse4a', 7: 'misalignsse', 8: '3dnowprefetch', 9: 'osvw', 10: 'ibs', 11: 'xop', 12: 'skinit', 13: 'wdt', 15: 'lwp', 16: 'fma4', 17: 'tce', 19: 'nodeid_msr', 21: 'tbm', 22: 'topoext' };

function names(word: number, table: Record<number, string>): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) if (((word >>> bit) & 1) === 1 && table[bit]) out.push(table[bit]);
  return out;
}

function ascii(words: number[]): string {
  return Buffer.concat(words.map((w) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(w);
    return b;
  })).toString('latin1').replace(/\0+$/, '');
}

/** bogomips: the TSC's rate as Linux computes it (2 * MHz). */
export function x86CpuInfo(tscHz: number): string {
  const [, vb, vc, vd] = cpuid(0, 0);
  const [eax1, ebx1, ecx1, edx1] = cpuid(1, 0);
  const maxLeaf = cpuid(0, 0)[0];
  const [, , ecxX, edxX] = cpuid(0x80000001, 0);
  const brand = ascii([0x80000002, 0x80000003, 0x80000004].flatMap((l) => cpuid(l, 0)));
  const sizes = cpuid(0x80000008, 0)[0];
  const family = ((eax1 >>> 8) & 0xf) + (((eax1 >>> 8) & 0xf) === 0xf ? (eax1 >>> 20) & 0xff : 0);
  const model = ((eax1 >>> 4) & 0xf) | (family >= 6 ? ((eax1 >>> 16) & 0xf) << 4 : 0);
  const mhz = tscHz / 1e6;
  const flags = [...names(edx1, LEAF1_EDX), ...names(edxX, EXT1_EDX), ...names(ecx1, LEAF1_ECX), ...names(ecxX, EXT1_ECX)];
  const clflush = ((ebx1 >>> 8) & 0xff) * 8;
  return [
    'processor\t: 0',
    `vendor_id\t: ${ascii([vb, vd, vc])}`,
    `cpu family\t: ${family}`,
    `model\t\t: ${model}`,
    `model name\t: ${brand}`,
    `stepping\t: ${eax1 & 0xf}`,
    `cpu MHz\t\t: ${mhz.toFixed(3)}`,
    'physical id\t: 0',
    'siblings\t: 1',
    'core id\t\t: 0',
    'cpu cores\t: 1',
    'apicid\t\t: 0',
    'initial apicid\t: 0',
    `fpu\t\t: ${(edx1 & 1) === 1 ? 'yes' : 'no'}`,
    `fpu_exception\t: ${(edx1 & 1) === 1 ? 'yes' : 'no'}`,
    `cpuid level\t: ${maxLeaf}`,
    'wp\t\t: yes',
    `flags\t\t: ${flags.join(' ')}`,
    'bugs\t\t:',
    `bogomips\t: ${(2 * mhz).toFixed(2)}`,
    `clflush size\t: ${clflush}`,
    `cache_alignment\t: ${clflush}`,
    `address sizes\t: ${sizes & 0xff} bits physical, ${(sizes >>> 8) & 0xff} bits virtual`,
    'power management:',
    '',
    '',
  ].join('\n');
}
