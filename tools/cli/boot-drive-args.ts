// `salty boot` options for virtio devices, spelled as qemu-system-aarch64 spells them:
//   -drive file=IMG,format=raw,if=none,id=ID[,snapshot=on][,readonly=on]
//   -device virtio-blk-device,drive=ID[,serial=S]    -device virtio-rng-device
//   -global virtio-mmio.force-legacy=false           -snapshot
// and the shorthand `--drive IMG` (or a -drive without if=none): a raw image
// on its own virtio-blk-device. One dash or two, as QEMU accepts.

export interface DriveSpec {
  readonly file: string;
  readonly id: string | undefined;
  readonly snapshot: boolean;
  readonly readOnly: boolean;
}

export type VirtioDeviceSpec = { readonly kind: 'blk'; readonly drive: DriveSpec; readonly serial?: string } | { readonly kind: 'rng' };

export interface VirtioArgs {
  devices: VirtioDeviceSpec[];
  /** -global virtio-mmio.force-legacy: QEMU 7.2's default is the legacy (version 1) transport. */
  legacy: boolean;
  /** -snapshot: every drive as snapshot=on. */
  snapshot: boolean;
  /** -drive if=pflash: the flash banks' images, by unit (0 = bank 0 at address 0, 1 = bank 1). */
  pflash: Array<{ readonly unit: number; readonly drive: DriveSpec }>;
}

export class DriveUsageError extends Error {}

export const VIRTIO_USAGE = `  -drive file=IMG,format=raw[,if=none,id=ID][,snapshot=on][,readonly=on]
                     a raw disk image; without if=none it is a virtio-blk device
  -drive if=pflash,format=raw,file=IMG[,unit=0|1][,readonly=on][,snapshot=on]
                     a 64 MiB image for flash bank 0 (at 0) or 1; writes go back to IMG
  -device virtio-blk-device,drive=ID[,serial=S]   the virtio-blk device of drive ID
  -device virtio-rng-device   a virtio entropy device
  --drive IMG        shorthand for -drive file=IMG,format=raw (a virtio-blk device, /dev/vda)
  -snapshot          writes to every drive stay in memory (as snapshot=on)
  -global virtio-mmio.force-legacy=false   the modern (version 2) virtio-mmio layout
`;

interface Pending {
  readonly args: VirtioArgs;
  /** Drives declared with if=none, by id. */
  readonly drives: Map<string, DriveSpec>;
  /** -device virtio-blk-device entries waiting for their drive (QEMU creates drives first). */
  readonly wanted: Array<{ index: number; id: string; serial?: string }>;
}

const pendings = new WeakMap<VirtioArgs, Pending>();

export function newVirtioArgs(): VirtioArgs {
  const args: VirtioArgs = { devices: [], legacy: true, snapshot: false, pflash: [] };
  pendings.set(args, { args, drives: new Map(), wanted: [] });
  return args;
}

/** QEMU's key=value,key=value list; a first bare word is returned under `''`. */
function keyValues(text: string, opt: string): Map<string, string> {
  const m = new Map<string, string>();
  text.split(',').forEach((part, i) => {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (i === 0) m.set('', part);
      else throw new DriveUsageError(`${opt} ${text}: ${part} is not key=value`);
    } else m.set(part.slice(0, eq), part.slice(eq + 1));
  });
  return m;
}

function onOff(v: string | undefined, what: string): boolean {
  if (v === undefined || v === 'off' || v === 'false') return false;
  if (v === 'on' || v === 'true') return true;
  throw new DriveUsageError(`${what}=${v}: expected on or off`);
}

function parseDrive(text: string, p: Pending): void {
  const kv = keyValues(text, '-drive');
  const file = kv.get('file');
  if (!file) throw new DriveUsageError(`-drive ${text}: file= is missing`);
  const format = kv.get('format') ?? 'raw';
  if (format !== 'raw') throw new DriveUsageError(`-drive ${text}: only format=raw is supported`);
  const known = new Set(['file', 'format', 'if', 'id', 'snapshot', 'readonly', 'media', 'cache', 'unit']);
  for (const k of kv.keys()) if (!known.has(k)) throw new DriveUsageError(`-drive ${text}: ${k}= is not supported`);
  const iface = kv.get('if') ?? 'virtio';
  if (iface !== 'none' && iface !== 'virtio' && iface !== 'pflash') throw new DriveUsageError(`-drive ${text}: if=${iface}: only if=none, if=virtio and if=pflash are supported`);
  const drive: DriveSpec = { file, id: kv.get('id'), snapshot: onOff(kv.get('snapshot'), 'snapshot'), readOnly: onOff(kv.get('readonly'), 'readonly') };
  if (iface === 'pflash') {
    // QEMU gives a drive without unit= the next free unit; virt has two banks.
    const taken = new Set(p.args.pflash.map((f) => f.unit));
    const unit = kv.has('unit') ? Number(kv.get('unit')) : [0, 1].find((u) => !taken.has(u)) ?? 2;
    if (!(unit === 0 || unit === 1)) throw new DriveUsageError(`-drive ${text}: the virt board has two flash banks (unit=0 and unit=1)`);
    if (taken.has(unit)) throw new DriveUsageError(`-drive ${text}: flash unit ${unit} is already given`);
    p.args.pflash.push({ unit, drive });
    return;
  }
  if (kv.has('unit')) throw new DriveUsageError(`-drive ${text}: unit= is only for if=pflash`);
  if (iface === 'virtio') {
    p.args.devices.push({ kind: 'blk', drive });
    return;
  }
  if (drive.id === undefined) throw new DriveUsageError(`-drive ${text}: if=none needs an id=`);
  if (p.drives.has(drive.id)) throw new DriveUsageError(`-drive ${text}: duplicate id ${drive.id}`);
  p.drives.set(drive.id, drive);
}

function parseDevice(text: string, p: Pending): void {
  const kv = keyValues(text, '-device');
  const driver = kv.get('') ?? kv.get('driver');
  if (driver === 'virtio-blk-device') {
    const id = kv.get('drive');
    if (!id) throw new DriveUsageError(`-device ${text}: drive= is missing`);
    p.wanted.push({ index: p.args.devices.length, id, serial: kv.get('serial') });
    p.args.devices.push({ kind: 'rng' }); // placeholder, replaced once the drive is known
  } else if (driver === 'virtio-rng-device') {
    p.args.devices.push({ kind: 'rng' });
  } else {
    throw new DriveUsageError(`-device ${text}: only virtio-blk-device and virtio-rng-device are supported`);
  }
}

/** Consumes one option if it is one of these; `value()` takes its argument. Returns false for other options. */
export function parseVirtioOption(a: string, value: () => string, args: VirtioArgs): boolean {
  const p = pendings.get(args)!;
  switch (a.startsWith('--') ? a.slice(1) : a) {
    case '-drive': {
      const v = value();
      parseDrive(a === '--drive' && !v.includes('=') ? `file=${v},format=raw` : v, p);
      return true;
    }
    case '-device':
      parseDevice(value(), p);
      return true;
    case '-snapshot':
      args.snapshot = true;
      return true;
    case '-global': {
      const v = value();
      const m = /^virtio-mmio\.force-legacy=(.*)$/.exec(v);
      if (!m) throw new DriveUsageError(`-global ${v}: only virtio-mmio.force-legacy is supported`);
      args.legacy = onOff(m[1], 'virtio-mmio.force-legacy');
      return true;
    }
    default:
      return false;
  }
}

/** Resolves -device drive=ID references once every option is read. */
export function finishVirtioArgs(args: VirtioArgs): VirtioArgs {
  const p = pendings.get(args)!;
  const used = new Set<string>();
  for (const w of p.wanted) {
    const drive = p.drives.get(w.id);
    if (drive === undefined) throw new DriveUsageError(`-device virtio-blk-device,drive=${w.id}: no -drive with id=${w.id}`);
    if (used.has(w.id)) throw new DriveUsageError(`drive ${w.id} is used by two devices`);
    used.add(w.id);
    args.devices[w.index] = { kind: 'blk', drive, serial: w.serial };
  }
  p.wanted.length = 0;
  return args;
}
