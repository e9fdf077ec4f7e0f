// salty --version names the package version even from a bundle copied away
// from the repository (it is embedded at build time), and every usage text
// ends with one newline.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOT_USAGE } from '../../tools/cli/boot-args';
import { RUN_USAGE } from '../../tools/cli/run-args';

const SALTY = join(process.cwd(), 'dist/salty.mjs');

function run(bundle: string, args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('salty --version', () => {
  it("prints package.json's version from a bundle copied out of the repository", () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const dir = mkdtempSync(join(tmpdir(), 'salty-version-'));
    const copy = join(dir, 'salty.mjs');
    copyFileSync(SALTY, copy);
    const r = run(copy, ['--version'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });
});

describe('usage texts', () => {
  it('end with exactly one newline', () => {
    for (const text of [RUN_USAGE, BOOT_USAGE]) expect(text).toMatch(/[^\n]\n$/);
  });

  it('as printed: --help on stdout, usage errors on stderr, each ending with one newline', () => {
    const outs = [
      run(SALTY, ['--help']).stdout,
      run(SALTY, ['run', '--help']).stdout,
      run(SALTY, ['boot', '--help']).stdout,
      run(SALTY, ['run', '--no-such-option']).stderr,
      run(SALTY, ['boot', '--no-such-option']).stderr,
      run(SALTY, []).stderr,
    ];
    for (const o of outs) {
      expect(o.length).toBeGreaterThan(40);
      expect(o).toMatch(/[^\n]\n$/);
    }
    expect(run(SALTY, ['run', '--help']).stdout).toBe(RUN_USAGE);
  });

  it("--help lays commands and options out in columns (yargs measures the texts with string-width, which the bundle loads at its first call)", () => {
    const lines = run(SALTY, ['--help']).stdout.split('\n');
    const section = (title: string): string[] => {
      const from = lines.indexOf(title) + 1;
      const to = lines.indexOf('', from);
      return lines.slice(from, to < 0 ? undefined : to);
    };
    const commands = section('Commands:');
    expect(commands.filter((l) => l.startsWith('  salty ')).length).toBeGreaterThanOrEqual(3);
    // Every description line starts in one column, past the widest command: after a command's text and a gap,
    // or (a description's next line) after spaces alone.
    const descriptionColumn = (l: string): number => {
      const gap = /^(\s*\S.*?\s{2,})\S/.exec(l);
      return gap !== null && l.search(/\S/) < 10 ? gap[1].length : l.search(/\S/);
    };
    const columns = new Set(commands.map(descriptionColumn));
    expect([...columns].length, commands.join('\n')).toBe(1);
    expect([...columns][0]).toBeGreaterThan(30);
    // The options' types end in one column.
    const options = section('Options:').filter((l) => l.includes('['));
    expect(options.length).toBeGreaterThanOrEqual(2);
    expect(new Set(options.map((l) => l.trimEnd().length)).size, options.join('\n')).toBe(1);
  });
});
