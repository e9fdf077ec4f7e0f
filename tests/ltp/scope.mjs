// Which LTP syscall tests are out of scope for salty, and why: the ones that
// need a block device, mount a filesystem, load kernel modules, drive
// hardware, or change the machine's clock (no safe qemu-aarch64 oracle on a
// shared machine). These are never run, under either runner. The reason is
// read from the test's C source (its tst_test fields and library calls).
import fs from 'node:fs';

const BY_NAME = [
  [/^(mount|umount|fsmount|fsopen|fsconfig|fspick|move_mount|open_tree|mount_setattr|pivot_root|statmount|listmount|quotactl)/, 'mounts a filesystem'],
  [/^(swapon|swapoff)/, 'swap on a block device or filesystem image'],
  [/^(init_module|finit_module|delete_module)/, 'loads kernel modules'],
  [/^(ioperm|iopl|ioctl_sg|ioctl_loop|ioctl_ficlone|cacheflush)/, 'hardware or block-device ioctls'],
  [/^(clock_settime|settimeofday|stime|adjtimex|clock_adjtime)/, "sets the machine's real-time clock: no safe qemu oracle on a shared machine"],
  [/^reboot/, "changes the machine's reboot setting: no safe qemu oracle on a shared machine"],
];

const BY_SOURCE = [
  [/\.(needs_device|mount_device|format_device)\s*=|tst_acquire_device|tst_mkfs/, 'needs a block device'],
  [/\.(all_filesystems|needs_rofs|mntpoint|filesystems)\s*=|SAFE_MOUNT\(|tst_mount\(/, 'mounts a filesystem'],
  [/tst_module_|\.needs_drivers\s*=/, 'loads kernel modules'],
];

/** The test's main C source, next to its binary (a _64 or _16 twin is built from its base test's source). */
function sourceOf(binary) {
  for (const c of [`${binary}.c`, `${binary.replace(/_(64|16)$/, '')}.c`]) if (fs.existsSync(c)) return fs.readFileSync(c, 'utf8');
  return '';
}

/** The reason an entry is out of scope, or undefined when it is in scope. */
export function outOfScope(entry, index) {
  for (const [re, why] of BY_NAME) if (re.test(entry.name) || re.test(entry.argv[0])) return why;
  const bin = index.get(entry.argv[0]);
  if (!bin) return undefined;
  const src = sourceOf(bin);
  for (const [re, why] of BY_SOURCE) if (re.test(src)) return why;
  return undefined;
}
