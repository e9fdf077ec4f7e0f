// The same-summary rule of tests/ltp/same-summary.mjs (docs/ltp.md): when
// salty's LTP result counts as qemu-aarch64's. Outputs below are shaped like
// LTP's (new-style "file.c:N: TCONF: why", old-style "name N TCONF : why").

import { describe, expect, it } from 'vitest';
import { compareResults, isEnosysReason, skipReasons } from './same-summary.mjs';

const run = (status: number, counts: number[], output = '') => ({
  name: 't',
  status,
  timedOut: false,
  output,
  summary: { passed: counts[0], failed: counts[1], broken: counts[2], skipped: counts[3], warnings: counts[4] },
});
const PWAIT2 = 'syscall(441) __NR_epoll_pwait2 not supported on your arch';

describe('skip reasons', () => {
  it('are the TCONF messages without their source location, once each', () => {
    const out = [
      'tst_test.c:2048: TINFO: LTP version: 20260529',
      `../../../../include/lapi/epoll.h:40: TCONF: ${PWAIT2}`,
      'tst_fd.c:151: TCONF: Skipping fanotify: ENOSYS (38)',
      'tst_fd.c:151: TCONF: Skipping fanotify: ENOSYS (38)',
      'fcntl24     1  TCONF  :  fcntl24.c:97: leases need a local fs',
      'foo.c:3: TPASS: TCONF in a message is not a skip',
    ].join('\n');
    expect(skipReasons(out)).toEqual([PWAIT2, 'Skipping fanotify: ENOSYS (38)', 'leases need a local fs']);
  });

  it('say ENOSYS only for a missing syscall', () => {
    expect(isEnosysReason(PWAIT2)).toBe(true);
    expect(isEnosysReason('Skipping userfaultfd: ENOSYS (38)')).toBe(true);
    expect(isEnosysReason('Skipping EFAULT test for libc getrandom()')).toBe(false);
    expect(isEnosysReason('ioprio decrease out of range (-1)')).toBe(false);
  });
});

describe('compareResults', () => {
  it('identical status and counts are the same', () => {
    expect(compareResults(run(0, [2, 0, 0, 1, 0]), run(0, [2, 0, 0, 1, 0]), undefined)).toEqual({ same: true, how: 'identical' });
  });

  it('salty passing the sub-tests qemu skipped for ENOSYS is the same (epoll_pwait01)', () => {
    const r = compareResults(run(0, [4, 0, 0, 0, 0]), run(0, [2, 0, 0, 1, 0]), [PWAIT2]);
    expect(r).toEqual({ same: true, how: 'qemu-enosys-skips' });
  });

  it('salty may repeat a skip qemu also made (epoll_pwait06: tst_fd ENOSYS skips in both variants)', () => {
    const fd = ['Skipping fanotify: ENOSYS (38)', 'Skipping bpf map: ENOSYS (38)'];
    const out = fd.map((w) => `tst_fd.c:1: TCONF: ${w}`).join('\n');
    expect(compareResults(run(0, [2, 0, 0, 4, 0], `${out}\n${out}`), run(0, [1, 0, 0, 3, 0]), [...fd, PWAIT2]).same).toBe(true);
  });

  it('is not the same when qemu skipped for another reason than ENOSYS', () => {
    const r = compareResults(run(0, [3, 0, 0, 0, 0]), run(0, [2, 0, 0, 1, 0]), ['Skipping EFAULT test for libc getrandom()']);
    expect(r.same).toBe(false);
    expect(r.how).toMatch(/other than ENOSYS/);
  });

  it('is not the same without recorded qemu skip reasons', () => {
    expect(compareResults(run(0, [4, 0, 0, 0, 0]), run(0, [2, 0, 0, 1, 0]), undefined).same).toBe(false);
  });

  it('is not the same when salty passed fewer, lost sub-tests, or failed', () => {
    expect(compareResults(run(0, [1, 0, 0, 2, 0], `x.c:1: TCONF: ${PWAIT2}`), run(0, [2, 0, 0, 1, 0]), [PWAIT2]).how).toMatch(/^passed 1/);
    expect(compareResults(run(0, [2, 0, 0, 0, 0]), run(0, [2, 0, 0, 1, 0]), [PWAIT2]).how).toMatch(/^passed \+ skipped/);
    expect(compareResults(run(1, [4, 1, 0, 0, 0]), run(0, [2, 0, 0, 1, 0]), [PWAIT2]).same).toBe(false);
    expect(compareResults(run(0, [4, 0, 0, 0, 1]), run(0, [2, 0, 0, 1, 0]), [PWAIT2]).how).toMatch(/^warnings/);
  });

  it('is not the same when salty skipped for a reason of its own', () => {
    const r = compareResults(run(0, [3, 0, 0, 1, 0], 'a.c:9: TCONF: syscall(999) __NR_foo not supported on your arch'), run(0, [2, 0, 0, 1, 0]), [PWAIT2]);
    expect(r.how).toMatch(/reason qemu did not/);
  });

  it('a timeout or a different status is never the same', () => {
    expect(compareResults({ ...run(0, [2, 0, 0, 1, 0]), timedOut: true }, run(0, [2, 0, 0, 1, 0]), [PWAIT2]).same).toBe(false);
    expect(compareResults(run(32, [2, 0, 0, 1, 0]), run(0, [2, 0, 0, 1, 0]), [PWAIT2]).same).toBe(false);
  });
});
