// `salty boot` network options, as qemu-system-aarch64 spells them. QEMU's
// virt board gets one virtio-net-pci NIC with the user-mode backend unless a
// network option says otherwise; salty models the card (board/virt/virtio-net.ts)
// with no network behind it (frames sent are dropped, none arrive).
//   -nic none | -net none                  no NIC
//   -nic user[,model=virtio-net-pci][,mac=M][,id=...]   one NIC per -nic
//   -netdev user,id=ID  -device virtio-net-pci,netdev=ID[,mac=M]
//   -nodefaults                            no default NIC
// Other backends (tap, socket, ...) and NIC models are refused.

export interface NicSpec {
  readonly mac?: Uint8Array;
  /** `none`: a card with no -netdev behind it (frames go nowhere); user (the default): slirp's answers. */
  readonly backend?: 'user' | 'none';
}

export interface NetArgs {
  /** An explicit network option was given: the default NIC is not added. */
  explicit: boolean;
  readonly nics: NicSpec[];
  readonly netdevs: Set<string>;
}

export const NET_USAGE = `  -nodefaults        no default devices: no NIC (the UART stays the console)
  -nic none          no network card (QEMU's virt has a virtio-net-pci card at 00:01.0 by default)
  -nic user[,model=virtio-net-pci][,mac=M]   a virtio-net-pci card (no traffic: frames sent are dropped)
  -netdev user,id=ID -device virtio-net-pci,netdev=ID[,mac=M]   the same, in two options
`;

export class NetUsageError extends Error {}

export function newNetArgs(): NetArgs {
  return { explicit: false, nics: [], netdevs: new Set() };
}

/** The NICs the board gets: QEMU's default one unless a network option was given. */
export function boardNics(n: NetArgs): NicSpec[] {
  return n.explicit ? n.nics : [{}];
}

function keyValues(text: string, first: string): Map<string, string> {
  const kv = new Map<string, string>();
  for (const [i, part] of text.split(',').entries()) {
    const eq = part.indexOf('=');
    if (eq < 0) kv.set(i === 0 ? first : part, i === 0 ? part : 'on');
    else kv.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return kv;
}

function parseMac(opt: string, text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  const m = /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i.exec(text);
  if (m === null) throw new NetUsageError(`${opt}: mac=${text} is not a MAC address (xx:xx:xx:xx:xx:xx)`);
  const mac = Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16)));
  if (mac[0] & 1) throw new NetUsageError(`${opt}: mac=${text} is a multicast address`);
  return mac;
}

function only(opt: string, kv: Map<string, string>, known: readonly string[]): void {
  for (const k of kv.keys()) if (!known.includes(k)) throw new NetUsageError(`${opt}: ${k}= is not supported`);
}

/**
 * Parses argv[i] if it is a network option; returns how many arguments it
 * took (0 when it is not one: a -device of another kind is left to the virtio options).
 */
export function parseNetOption(argv: readonly string[], i: number, n: NetArgs): number {
  const a = argv[i].replace(/^--/, '-');
  if (a === '-nodefaults') {
    // QEMU's default devices on virt: the NIC is the one salty models (the UART stays the console).
    n.explicit = true;
    return 1;
  }
  if (a !== '-nic' && a !== '-net' && a !== '-netdev' && a !== '-device') return 0;
  const v = argv[i + 1];
  if (v === undefined) throw new NetUsageError(`${argv[i]} needs a value`);
  if (a === '-device') {
    const kv = keyValues(v, 'driver');
    if (kv.get('driver') !== 'virtio-net-pci') return 0;
    only(`-device ${v}`, kv, ['driver', 'netdev', 'mac', 'id']);
    const netdev = kv.get('netdev');
    if (netdev !== undefined && !n.netdevs.has(netdev)) throw new NetUsageError(`-device ${v}: no -netdev with id=${netdev} before it`);
    n.explicit = true;
    n.nics.push({ mac: parseMac(`-device ${v}`, kv.get('mac')), backend: netdev === undefined ? 'none' : 'user' });
    return 2;
  }
  const kv = keyValues(v, 'type');
  const type = kv.get('type');
  n.explicit = true;
  if (type === 'none' && a !== '-netdev') return 2;
  if (type !== 'user') throw new NetUsageError(`${argv[i]} ${v}: only the user backend (or none) is supported`);
  if (a === '-netdev') {
    only(`-netdev ${v}`, kv, ['type', 'id']);
    const id = kv.get('id');
    if (id === undefined) throw new NetUsageError(`-netdev ${v}: id= is missing`);
    n.netdevs.add(id);
    return 2;
  }
  if (a === '-net') throw new NetUsageError(`-net ${v}: use -nic user (the -net hub options are not supported)`);
  only(`-nic ${v}`, kv, ['type', 'model', 'mac', 'id']);
  const model = kv.get('model') ?? 'virtio-net-pci';
  if (model !== 'virtio-net-pci') throw new NetUsageError(`-nic ${v}: model=${model}: only virtio-net-pci is modelled`);
  n.nics.push({ mac: parseMac(`-nic ${v}`, kv.get('mac')) });
  return 2;
}
