// Tests that need a bigger machine under salty than its default (-m 256M,
// a writable layer of half of that, as tmpfs sizes itself), and why. qemu-user
// runs them on the host's disk and RAM; salty's guest RAM holds the file data
// of its writable layer (kernel/vfs/file-space.ts), so the machine is sized
// for what the test writes.

/** name -> { memory, rootSize } (salty run's -m and --root-size). */
const MACHINES = new Map([
  // setup checks for 5 GiB free, writes a 4 GiB sparse file (a byte per MiB), then each case sendfiles 1 GiB of it into a file: 1 GiB of data pages.
  ['sendfile09', { memory: '2G', rootSize: '5G' }],
  ['sendfile09_64', { memory: '2G', rootSize: '5G' }],
]);

/** The RunRequest fields (tools/run-worker.ts) of a test's machine; none for the default one. */
export function machineFor(name) {
  return MACHINES.get(name) ?? {};
}

/** The same as salty run options. */
export function machineArgs(name) {
  const m = MACHINES.get(name);
  return m ? ['-m', m.memory, '--root-size', m.rootSize] : [];
}
