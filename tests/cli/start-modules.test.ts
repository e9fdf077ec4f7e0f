// What a `salty run` loads of Node's own modules at start. Each of node:crypto,
// node:tty, node:child_process, node:zlib, node:worker_threads and node:assert
// took 2-8 ms to load (docs/performance.md, session 13); a run whose stdio
// are pipes and files needs none of them. (node:net is not among them: Node
// loads it for any ES module entry, dist/salty.mjs or an empty one.)

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist/salty.mjs');
// (Its start takes 16 bytes of AT_RANDOM from the host; the lazy loads themselves are tested where they are used:
// gzip'd kernels, gdb, compare, host sockets.)
const FIXTURE = join(process.cwd(), 'tests/fixtures/linux/files.elf');
const NEEDLESS = ['crypto', 'tty', 'child_process', 'zlib', 'worker_threads', 'assert', 'dgram'];

// Preloaded with -r, it prints at exit the built-in modules the process loaded (with fs.writeSync: process.stderr
// would load the modules of a stream itself).
const REPORT = `const { writeSync } = require('fs');
process.on('exit', () => writeSync(2, 'LOADED ' + process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ') + '\\n'));
`;
let report = '';

function loaded(args: string[], stdin: 'pipe' | 'ignore' = 'pipe'): { status: number | null; stdout: string; modules: string[] } {
  const r = spawnSync(process.execPath, ['-r', report, CLI, ...args], { encoding: 'utf8', stdio: [stdin, 'pipe', 'pipe'] });
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED ')) ?? '';
  return { status: r.status, stdout: r.stdout, modules: line.slice(7).split(' ') };
}

beforeAll(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
  report = join(mkdtempSync(join(tmpdir(), 'salty-start-modules-')), 'report.cjs');
  writeFileSync(report, REPORT);
});

afterAll(() => rmSync(dirname(report), { recursive: true, force: true }));

describe('a run starts without the modules it does not use', () => {
  it('runs a program with pipes for stdio without loading them', () => {
    const r = loaded(['run', FIXTURE]);
    expect(r.status).toBe(Number(readFileSync(FIXTURE.replace(/\.elf$/, '.status'), 'utf8')));
    expect(r.stdout).toBe(readFileSync(FIXTURE.replace(/\.elf$/, '.golden'), 'utf8'));
    // The report itself works: the modules every run loads are there.
    expect(r.modules).toContain('fs');
    expect(r.modules).toContain('vm');
    for (const m of NEEDLESS) expect(r.modules, m).not.toContain(m);
  });

  it.runIf(process.platform === 'linux')('takes /dev/null for stdin (a character device) without node:tty', () => {
    const r = loaded(['run', FIXTURE], 'ignore');
    expect(r.stdout).toBe(readFileSync(FIXTURE.replace(/\.elf$/, '.golden'), 'utf8'));
    expect(r.modules).toContain('fs');
    expect(r.modules).not.toContain('tty');
  });
});
