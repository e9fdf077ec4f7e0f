// /proc/cpuinfo as arm64 Linux prints it for this CPU: one block per CPU
// with BogoMIPS from the generic timer's frequency, the feature names of
// AT_HWCAP's set bits, and the identity fields of MIDR_EL1.

import type { Cpu } from '../../../board/aarch64/cpu';
import { lookupSysReg, sysRegKey } from '../../../board/aarch64/system-registers';

/** Linux's names of the AT_HWCAP bits, bit 0 first. */
const HWCAP_NAMES = ['fp', 'asimd', 'evtstrm', 'aes', 'pmull', 'sha1', 'sha2', 'crc32', 'atomics', 'fphp', 'asimdhp', 'cpuid', 'asimdrdm', 'jscvt', 'fcma', 'lrcpc', 'dcpop', 'sha3', 'sm3', 'sm4', 'asimddp', 'sha512', 'sve', 'asimdfhm', 'dit', 'uscat', 'ilrcpc', 'flagm', 'ssbs', 'sb', 'paca', 'pacg'];

const hex = (n: number): string => `0x${n.toString(16)}`;

export function aarch64CpuInfo(cpu: Cpu, hwcap: number, timerHz: number): string {
  const midrReg = lookupSysReg(sysRegKey(3, 0, 0, 0, 0))!;
  midrReg.read(cpu);
  const midr = cpu.sysLo >>> 0;
  // loops_per_jiffy is the timer's ticks per jiffy; BogoMIPS = lpj * HZ / 500000.
  const centi = Math.floor(timerHz / 5000);
  const features = HWCAP_NAMES.filter((_, bit) => ((hwcap >>> bit) & 1) === 1).join(' ');
  return [
    `processor\t: 0`,
    `BogoMIPS\t: ${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, '0')}`,
    `Features\t: ${features}`,
    `CPU implementer\t: ${hex(midr >>> 24)}`,
    `CPU architecture: 8`,
    `CPU variant\t: ${hex((midr >>> 20) & 0xf)}`,
    `CPU part\t: 0x${((midr >>> 4) & 0xfff).toString(16).padStart(3, '0')}`,
    `CPU revision\t: ${midr & 0xf}`,
    '',
    '',
  ].join('\n');
}
