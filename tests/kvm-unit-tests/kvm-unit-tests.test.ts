// kvm-unit-tests (arm64, built by build.sh from the source snapshot beside the
// repo) on `salty boot`, each entry's PASS/FAIL/SKIP/ABORT/SUMMARY lines compared
// with QEMU 7.2's (goldens/, recorded by record-goldens.sh). The entries in
// matching.txt matched when it was written: none of them may regress.
import { describe, expect, it } from 'vitest';
import { goldenNames, kutBuilt, kutEntries, pool, readGolden, readMatchingList, resultLines, runSalty, sameLines } from './kut-harness';

/** Host seconds salty gets per entry; salty is slower than QEMU's TCG, so at least 30. */
const SALTY_TIMEOUT = 30;

describe.skipIf(!kutBuilt())('kvm-unit-tests on salty against QEMU', () => {
  it('every entry in matching.txt still reports QEMU\'s lines', async () => {
    const entries = kutEntries();
    const names = goldenNames();
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const n of names) expect(byName.has(n), `golden ${n} has no unittests.cfg entry`).toBe(true);
    const results = await pool(names, 2, async (n) => {
      const e = byName.get(n)!;
      const r = await runSalty(e, Math.max(SALTY_TIMEOUT, e.timeoutSeconds));
      const got = resultLines(r.stdout);
      const want = readGolden(n);
      return { name: n, same: sameLines(got, want), got, want, stderr: r.stderr };
    });
    const same = results.filter((r) => r.same).map((r) => r.name);
    const different = results.filter((r) => !r.same);
    console.log(`kvm-unit-tests: ${same.length} same, ${different.length} different`);
    for (const d of different) {
      const firstDiff = d.got.findIndex((l, i) => l !== d.want[i]);
      const at = firstDiff < 0 ? d.got.length : firstDiff;
      console.log(`  ${d.name}: salty ${JSON.stringify(d.got[at] ?? d.stderr.split('\n').filter(Boolean)[0] ?? '(nothing)')} where QEMU ${JSON.stringify(d.want[at] ?? '(no more lines)')}`);
    }
    const regressed = readMatchingList().filter((n) => !same.includes(n));
    expect(regressed, 'entries that matched QEMU before and no longer do').toEqual([]);
  }, 900_000);
});
