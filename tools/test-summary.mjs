// Prints vitest's totals as one plain line ("vitest: N passed, N failed, N skipped")
// from its JSON report, so any CI log reader can count the tests.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'dist/vitest-results.json';
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} catch (e) {
  console.log(`vitest: no results in ${file} (${e.message})`);
}
