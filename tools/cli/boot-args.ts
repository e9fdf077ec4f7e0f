// `salty boot` arguments: IMAGE and options, as qemu-system-aarch64 -kernel takes them.

import { NET_USAGE, type NetArgs, NetUsageError, newNetArgs, parseNetOption } from './boot-net-args';
import { DriveUsageError, finishVirtioArgs, newVirtioArgs, parseVirtioOption, VIRTIO_USAGE, type VirtioArgs } from './boot-drive-args';

export interface BootArgs {
  image: string | undefined;
  memory: string;
  gic: 2 | 3;
  /** -smp: CPUs, 1 to 8. */
  cpus: number;
  semihosting: boolean;
  initrd: string | undefined;
  append: string | undefined;
  timeoutSeconds: number | undefined;
  wallClock: boolean;
  traceExceptions: boolean;
  help: boolean;
  virtio: VirtioArgs;
  /** -nic, -netdev, -device virtio-net-pci (boot-net-args.ts). */
  net: NetArgs;
  /** -bios FILE: firmware in flash bank 0, run from address 0; IMAGE, --initrd and --append then wait in fw_cfg. */
  bios?: string;
  /** -s / -gdb tcp::PORT: a gdb stub on this TCP port. */
  gdbPort?: number;
  /** -S: halt before the first instruction (until gdb continues). */
  haltAtStart?: boolean;
}

export const BOOT_USAGE = `usage: salty boot [options] IMAGE
Boots a bare-metal aarch64 image (ELF or arm64 Image) on the virt board, like
qemu-system-aarch64 -M virt -cpu cortex-a57 -nographic -kernel IMAGE.
  -m SIZE            guest RAM (default 128M)
  --gic 2|3          interrupt controller version (default 2)
  -machine|-M virt[,gic-version=2|3]   QEMU's spelling of --gic
  -smp [cpus=]N      CPUs, 1 to 8 (default 1); secondaries wait for PSCI CPU_ON
  -bios FILE         firmware (e.g. U-Boot) in flash bank 0, run from 0; IMAGE,
                     --initrd and --append then wait in fw_cfg for it
  -kernel IMAGE      QEMU's spelling of IMAGE
  -cpu cortex-a57, -nographic   QEMU's options, accepted (they are this board's only way)
  -initrd, -append, -semihosting   QEMU's spellings of --initrd, --append, --semihosting
  --semihosting      enable semihosting (HLT #0xF000)
  --initrd FILE      load FILE as the initial ramdisk
  --append ARGS      kernel command line (/chosen/bootargs)
  --timeout SECONDS  stop the guest after SECONDS of host time
  --wall-clock       count guest time from the host clock instead of instructions
  --trace-exceptions log every exception taken (kind, ELR, ESR, FAR) to stderr
  -s                 a gdb stub on TCP port 1234 (target remote :1234), as QEMU's -s
  -gdb|--gdb tcp::PORT   a gdb stub on PORT
  -S                 halt before the first instruction until gdb continues (docs/gdb.md)
  -h, --help         this text
${VIRTIO_USAGE}${NET_USAGE}`;

export class BootUsageError extends Error {}

/** QEMU's -machine value: `virt` and the gic-version property; anything else is refused. */
function machineGic(v: string, gic: 2 | 3): 2 | 3 {
  for (const part of v.split(',')) {
    if (part === 'virt' || part === '') continue;
    if (part === 'gic-version=2') gic = 2;
    else if (part === 'gic-version=3') gic = 3;
    else throw new BootUsageError(`-machine ${v}: only virt and gic-version=2|3 are understood (not ${part})`);
  }
  return gic;
}

/** QEMU's -smp value: N or cpus=N, optionally with maxcpus=N (CPU hotplug is not modelled). */
function smpCount(v: string): number {
  let cpus: number | undefined;
  for (const [i, part] of v.split(',').entries()) {
    const m = /^(?:(cpus|maxcpus)=)?(\d+)$/.exec(part);
    if (m === null || (m[1] === undefined && i > 0)) throw new BootUsageError(`-smp ${v}: only N, cpus=N and maxcpus=N are understood (not ${part})`);
    const n = Number(m[2]);
    if (m[1] === 'maxcpus' && cpus !== undefined && n !== cpus) throw new BootUsageError(`-smp ${v}: maxcpus must equal cpus (no CPU hotplug)`);
    cpus ??= n;
  }
  if (cpus === undefined || cpus < 1 || cpus > 8) throw new BootUsageError(`-smp ${v}: the virt board takes 1 to 8 CPUs`);
  return cpus;
}

/** QEMU's -gdb device: tcp::PORT (or tcp:HOST:PORT, whose host is not honoured: the stub listens on every address). */
function gdbPort(v: string): number {
  const m = /^tcp:[^:]*:(\d+)$/.exec(v) ?? /^(\d+)$/.exec(v);
  const n = m === null ? NaN : Number(m[1]);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new BootUsageError(`-gdb ${v}: expected tcp::PORT`);
  return n;
}

export function parseBootArgs(argv: readonly string[]): BootArgs {
  const r: BootArgs = { image: undefined, memory: '128M', gic: 2, cpus: 1, semihosting: false, initrd: undefined, append: undefined, timeoutSeconds: undefined, wallClock: false, traceExceptions: false, help: false, virtio: newVirtioArgs(), net: newNetArgs() };
  let i = 0;
  const value = (opt: string): string => {
    if (i + 1 >= argv.length) throw new BootUsageError(`${opt} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      if (r.image !== undefined) throw new BootUsageError(`only one IMAGE, got ${r.image} and ${a}`);
      r.image = a;
      continue;
    }
    switch (a) {
      case '-m':
        r.memory = value(a);
        break;
      case '--gic': {
        const v = value(a);
        if (v !== '2' && v !== '3') throw new BootUsageError(`--gic expects 2 or 3, got ${v}`);
        r.gic = v === '2' ? 2 : 3;
        break;
      }
      case '-machine':
      case '-M':
        r.gic = machineGic(value(a), r.gic);
        break;
      case '-smp':
        r.cpus = smpCount(value(a));
        break;
      case '-bios':
        r.bios = value(a);
        break;
      case '-kernel': {
        const v = value(a);
        if (r.image !== undefined) throw new BootUsageError(`only one IMAGE, got ${r.image} and ${v}`);
        r.image = v;
        break;
      }
      case '-cpu': {
        const v = value(a);
        if (v !== 'cortex-a57') throw new BootUsageError(`-cpu ${v}: this board models cortex-a57 only`);
        break;
      }
      case '-nographic':
        break;
      case '--semihosting':
      case '-semihosting':
        r.semihosting = true;
        break;
      case '--initrd':
      case '-initrd':
        r.initrd = value(a);
        break;
      case '--append':
      case '-append':
        r.append = value(a);
        break;
      case '--timeout': {
        const n = Number(value(a));
        if (!(n > 0)) throw new BootUsageError('--timeout expects a positive number of seconds');
        r.timeoutSeconds = n;
        break;
      }
      case '--wall-clock':
        r.wallClock = true;
        break;
      case '--trace-exceptions':
        r.traceExceptions = true;
        break;
      case '-s':
        r.gdbPort = 1234;
        break;
      case '-S':
        r.haltAtStart = true;
        break;
      case '-gdb':
      case '--gdb':
        r.gdbPort = gdbPort(value(a));
        break;
      case '-h':
      case '--help':
        r.help = true;
        break;
      default: {
        const took = netOption(argv, i, r.net);
        if (took > 0) {
          i += took - 1;
          break;
        }
        if (virtioOption(a, () => value(a), r.virtio)) break;
        throw new BootUsageError(`unknown option ${a}`);
      }
    }
  }
  if (r.image === undefined && r.bios === undefined && !r.virtio.pflash.some((f) => f.unit === 0) && !r.help) throw new BootUsageError('IMAGE is missing');
  if (r.haltAtStart && r.gdbPort === undefined) throw new BootUsageError('-S halts for gdb: give -s or -gdb tcp::PORT too');
  virtioOption('', () => '', r.virtio, true);
  return r;
}

/** The network options (boot-net-args.ts), their errors as usage errors. */
function netOption(argv: readonly string[], i: number, n: NetArgs): number {
  try {
    return parseNetOption(argv, i, n);
  } catch (e) {
    if (e instanceof NetUsageError) throw new BootUsageError(e.message);
    throw e;
  }
}

/** The virtio options (boot-drive-args.ts), their errors as usage errors. */
function virtioOption(a: string, value: () => string, v: VirtioArgs, finish = false): boolean {
  try {
    if (finish) {
      finishVirtioArgs(v);
      return true;
    }
    return parseVirtioOption(a, value, v);
  } catch (e) {
    if (e instanceof DriveUsageError) throw new BootUsageError(e.message);
    throw e;
  }
}
