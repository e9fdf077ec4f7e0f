// The hosted machine of each arch, by name: the one place that knows every backend.

import type { ArchName } from './arch';
import type { HostedMachine } from './arch-cpu';
import { A64HostedMachine } from './aarch64/hosted-machine';
import { X86HostedMachine } from './x86_64/hosted-machine';

export function createMachine(arch: ArchName, ramSize: number, wallClock: boolean): HostedMachine {
  switch (arch) {
    case 'aarch64':
      return new A64HostedMachine(ramSize, { wallClock });
    case 'x86_64':
      return new X86HostedMachine(ramSize, { wallClock });
  }
}
