import { AARCH64_HWCAP_FP_ASIMD, AuxvValues } from './auxv';
import type { Machine, ProgramImage } from './program-image';

/**
 * x86_64's AT_HWCAP is CPUID.1:EDX. These are the bits every x86-64 CPU has:
 * FPU, TSC, CX8, CMOV, MMX, FXSR, SSE, SSE2.
 */
export const X86_64_BASELINE_HWCAP = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);

/** Linux's AT_PLATFORM string for each machine. */
export function platformString(machine: Machine): string {
  return machine;
}

export interface ProcessIds {
  readonly uid: number;
  readonly euid: number;
  readonly gid: number;
  readonly egid: number;
}

const ROOT: ProcessIds = { uid: 0, euid: 0, gid: 0, egid: 0 };

/** The auxv values Linux would give a static program of this image (4 KiB pages, 100 clock ticks). */
export function auxvForImage(image: ProgramImage, ids: ProcessIds = ROOT): AuxvValues {
  return {
    phdr: image.phdrAddress ?? 0,
    phent: image.phent,
    phnum: image.phnum,
    pageSize: 4096,
    base: 0,
    flags: 0,
    entry: image.entry,
    ...ids,
    hwcap: image.machine === 'aarch64' ? AARCH64_HWCAP_FP_ASIMD : X86_64_BASELINE_HWCAP,
    hwcap2: 0,
    clockTicks: 100,
    secure: 0,
  };
}
