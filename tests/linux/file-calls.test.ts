// The file and IPC calls of the file-calls work (mknod and FIFOs, flock and
// record locks, memfd and seals, shared /dev/zero, splice and friends,
// fallocate, O_PATH, SysV shm/sem/msg), compared with qemu-aarch64: the
// committed goldens always, a live run where QEMU is installed.

import { describe, expect, it } from 'vitest';
import { golden, hasQemu, runOnQemu, runOnSalty } from './run-fixture';

const PROGRAMS = [
  ['sysv-ipc', 'SysV IPC: shm shared across fork with nattch and IPC_RMID while attached, semaphores that make a child wait (GETNCNT, EIDRM), message queues by type, the errors'],
  ['file-calls', 'mknod FIFOs and devices, flock and fcntl/OFD locks across fork, memfd seals and shared mappings, /dev/zero MAP_SHARED, splice/tee/vmsplice/sendfile/copy_file_range, fallocate, O_PATH'],
] as const;

describe('file and IPC calls: salty matches qemu-aarch64', () => {
  for (const [name, what] of PROGRAMS) {
    it(`${name}: ${what}`, () => {
      const want = golden(name);
      const got = runOnSalty(name, [], '');
      expect(got.stdout).toBe(want.stdout);
      expect(got.status).toBe(want.status);
    });
  }

  it.skipIf(!hasQemu)('live: the same output and status as qemu-aarch64 now', () => {
    for (const [name] of PROGRAMS) {
      const want = runOnQemu(name);
      const got = runOnSalty(name, [], '');
      expect(got.stdout, name).toBe(want.stdout);
      expect(got.status, name).toBe(want.status);
    }
  });
});
