// When salty's result of an LTP test counts as qemu-aarch64's (docs/ltp.md,
// "Same summary"). Identical status and counts always do. qemu 7.2's user
// mode lacks some syscalls that Linux 6.1 has (epoll_pwait2, for one): LTP
// then skips, under qemu, the sub-tests that need them, while salty runs and
// passes them, so the counts differ though salty did better. That also
// counts as the same summary, but only when every difference is explained
// that way:
//   - the same exit status, neither run timed out;
//   - salty's failed, broken and warnings counts are qemu's (0 for a listed test);
//   - every reason qemu printed for a skip says the syscall is missing (ENOSYS);
//   - salty passed at least as many as qemu, and passed + skipped at least
//     as many as qemu (no sub-test vanished);
//   - every reason salty printed for a skip is one qemu printed too (salty
//     skipped nothing for a reason of its own).

const KEYS = ['passed', 'failed', 'broken', 'skipped', 'warnings'];

/**
 * The distinct reasons a run printed for its skips (TCONF), without the
 * source location: new-style "file.c:12: TCONF: why", old-style
 * "name 1 TCONF : file.c:12: why".
 */
export function skipReasons(output = '') {
  const reasons = new Set();
  for (const line of output.split('\n')) {
    const m = /(?:^|\s|:\s)TCONF\s*:\s*(.*)$/.exec(line);
    if (m) reasons.add(m[1].replace(/^(?:[\w./-]+\.[ch]:\d+:\s*)+/, '').trim());
  }
  return [...reasons];
}

/** Does a skip reason say the kernel lacks the syscall? (tst_syscall prints "not supported on your arch" for ENOSYS.) */
export function isEnosysReason(reason) {
  return /\bENOSYS\b|not supported on your arch|Function not implemented/.test(reason);
}

/**
 * Compares salty's result with qemu's: { same, how } where how is
 * 'identical', 'qemu-enosys-skips' (the rule above) or why they differ.
 * qemuSkips: the reasons qemu printed for its skips (qemu-skips.txt), or
 * undefined when none were recorded.
 */
export function compareResults(salty, qemu, qemuSkips) {
  if (!salty || !qemu) return { same: false, how: 'no result' };
  if (salty.timedOut || qemu.timedOut) return { same: false, how: 'timeout' };
  if (salty.status !== qemu.status) return { same: false, how: `status ${salty.status}, qemu ${qemu.status}` };
  const s = salty.summary;
  const q = qemu.summary;
  if (!s || !q) return s === q ? { same: true, how: 'identical' } : { same: false, how: 'no summary' };
  if (KEYS.every((k) => s[k] === q[k])) return { same: true, how: 'identical' };
  const bad = ['failed', 'broken', 'warnings'].find((k) => s[k] !== q[k]);
  if (bad) return { same: false, how: `${bad} ${s[bad]}, qemu ${q[bad]}` };
  if (!qemuSkips?.length || q.skipped === 0) return { same: false, how: 'counts differ and qemu skipped nothing' };
  const notEnosys = qemuSkips.find((r) => !isEnosysReason(r));
  if (notEnosys) return { same: false, how: `counts differ and qemu skipped for a reason other than ENOSYS: ${notEnosys}` };
  if (s.passed < q.passed) return { same: false, how: `passed ${s.passed}, qemu ${q.passed}` };
  if (s.passed + s.skipped < q.passed + q.skipped) return { same: false, how: `passed + skipped ${s.passed + s.skipped}, qemu ${q.passed + q.skipped}` };
  const own = skipReasons(salty.output).filter((r) => !qemuSkips.includes(r));
  if (own.length) return { same: false, how: `salty skipped for a reason qemu did not: ${own[0]}` };
  return { same: true, how: 'qemu-enosys-skips' };
}
