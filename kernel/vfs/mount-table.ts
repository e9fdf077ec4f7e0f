// What the guest's file systems are, in one place: the mount table that
// statfs, /proc/mounts, /proc/self/mountinfo and /proc/filesystems all read.
//
// The root is an overlay: the host's files, read-only, under a writable
// in-memory layer (overlay-fs.ts). That is what Linux's overlayfs is, so the
// guest is told so (OVERLAYFS_SUPER_MAGIC), rather than tmpfs (which has no
// lower layer) or the host's ext4 (whose size and writes the guest does not
// see). Like overlay over ext4, it stores user.* and trusted.* attributes,
// takes leases and accepts O_DIRECT.

import type { SpaceFigures } from './file-space';

/** One mounted file system. */
export interface Mount {
  readonly id: number;
  readonly parent: number;
  /** Where it is mounted, absolute. */
  readonly dir: string;
  /** The type /proc/mounts names, and statfs's f_type. */
  readonly type: string;
  readonly magic: number;
  readonly source: string;
  /** The device stat reports for its files (major:minor). */
  readonly dev: number;
  /** Per-mount flags as /proc/mounts writes them. */
  readonly options: string;
  /** Super-block options (mountinfo's last field). */
  readonly superOptions: string;
}

export const OVERLAYFS_SUPER_MAGIC = 0x794c7630;
export const TMPFS_MAGIC = 0x01021994;
export const PROC_SUPER_MAGIC = 0x9fa0;
export const SYSFS_MAGIC = 0x62656572;
export const PIPEFS_MAGIC = 0x50495045;
export const SOCKFS_MAGIC = 0x534f434b;
export const ANON_INODE_FS_MAGIC = 0x09041934;

/** The device number every file of the root reports in st_dev (8:1). */
export const ROOT_DEV = 0x801;

const dev = (major: number, minor: number): number => major * 256 + minor;

export const MOUNTS: readonly Mount[] = [
  { id: 21, parent: 1, dir: '/', type: 'overlay', magic: OVERLAYFS_SUPER_MAGIC, source: 'overlay', dev: ROOT_DEV, options: 'rw,relatime', superOptions: 'rw,lowerdir=/,upperdir=(memory),workdir=(memory)' },
  { id: 22, parent: 21, dir: '/proc', type: 'proc', magic: PROC_SUPER_MAGIC, source: 'proc', dev: dev(0, 21), options: 'rw,nosuid,nodev,noexec,relatime', superOptions: 'rw' },
  { id: 23, parent: 21, dir: '/sys', type: 'sysfs', magic: SYSFS_MAGIC, source: 'sysfs', dev: dev(0, 22), options: 'ro,nosuid,nodev,noexec,relatime', superOptions: 'ro' },
  { id: 24, parent: 21, dir: '/dev', type: 'tmpfs', magic: TMPFS_MAGIC, source: 'devtmpfs', dev: dev(0, 6), options: 'rw,nosuid,relatime', superOptions: 'rw,mode=755' },
  { id: 25, parent: 24, dir: '/dev/shm', type: 'tmpfs', magic: TMPFS_MAGIC, source: 'tmpfs', dev: dev(0, 23), options: 'rw,nosuid,nodev', superOptions: 'rw' },
];

/** The mount a normalised absolute path is on (the longest mount point above it). */
export function mountOf(path: string): Mount {
  let best = MOUNTS[0];
  for (const m of MOUNTS) if ((path === m.dir || path.startsWith(m.dir + '/')) && m.dir.length > best.dir.length) best = m;
  return best;
}

/** The size figures statfs reports for a file system: in 4 KiB blocks and inodes. */
export interface FsFigures {
  readonly blocks: number;
  readonly bfree: number;
  readonly bavail: number;
  readonly files: number;
  readonly ffree: number;
}

/**
 * The figures of each file system. The overlay reports its upper layer's,
 * as Linux's overlayfs does: the writable layer's size and inodes
 * (kernel/vfs/file-space.ts), which /dev and /dev/shm, held in the same
 * layer, share. Pseudo file systems report zeros, as Linux's do.
 */
export function figuresOf(m: Mount, space: SpaceFigures): FsFigures {
  if (m.type !== 'overlay' && m.type !== 'tmpfs') return { blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0 };
  // An unlimited tmpfs (memfd's internal one) reports zeros, as shmem_statfs does.
  const blocks = Number.isFinite(space.maxBlocks) ? space.maxBlocks : 0;
  const files = Number.isFinite(space.maxInodes) ? space.maxInodes : 0;
  const bfree = Math.max(0, blocks - space.usedBlocks);
  return { blocks, bfree, bavail: bfree, files, ffree: Math.max(0, files - space.usedInodes) };
}

/** A tmpfs's size options as Linux writes them: size (KiB) and nr_inodes when they are not the defaults (half of RAM). */
function tmpfsOptions(m: Mount, space: SpaceFigures): string {
  if (m.type !== 'tmpfs') return '';
  const size = Number.isFinite(space.maxBlocks) && space.maxBlocks !== space.defaultBlocks ? `,size=${space.maxBlocks * 4}k` : '';
  const inodes = Number.isFinite(space.maxInodes) && space.maxInodes !== space.defaultInodes ? `,nr_inodes=${space.maxInodes}` : '';
  return size + inodes;
}

const ST_RDONLY = 1;
const ST_NOSUID = 2;
const ST_NODEV = 4;
const ST_NOEXEC = 8;
const ST_RELATIME = 0x1000;
/** ST_VALID: f_flags is filled in (Linux 2.6.36+). */
const ST_VALID = 0x20;

/** statfs's f_flags: the mount's flags. */
export function statfsFlags(m: Mount): number {
  const opts = m.options.split(',');
  const bit: Record<string, number> = { ro: ST_RDONLY, nosuid: ST_NOSUID, nodev: ST_NODEV, noexec: ST_NOEXEC, relatime: ST_RELATIME };
  return opts.reduce((f, o) => f | (bit[o] ?? 0), ST_VALID);
}

/** /proc/mounts (and /proc/self/mounts). */
export function mountsText(space: SpaceFigures): string {
  return MOUNTS.map((m) => `${m.source} ${m.dir} ${m.type} ${m.options}${tmpfsOptions(m, space)} 0 0\n`).join('');
}

/** /proc/self/mountinfo. */
export function mountinfoText(space: SpaceFigures): string {
  return MOUNTS.map((m, i) => `${m.id} ${m.parent} ${m.dev >> 8}:${m.dev & 0xff} / ${m.dir} ${m.options} shared:${i + 1} - ${m.type} ${m.source} ${m.superOptions}${tmpfsOptions(m, space)}\n`).join('');
}

/** /proc/filesystems: the types mounted here and the internal ones behind pipes and sockets. */
export function filesystemsText(): string {
  return ['sysfs', 'tmpfs', 'proc', 'pipefs', 'sockfs', 'overlay'].map((t) => `nodev\t${t}\n`).join('');
}
