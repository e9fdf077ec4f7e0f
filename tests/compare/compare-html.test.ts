// salty compare --html rendered by a real browser: headless Chromium (Debian's
// chromium package) loads the page from disk, with no network, and the test
// reads back what it rendered: the charts are drawn, the numbers in the page
// are the --json ones, and a screenshot is kept in dist/compare-report/.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNumber, formatRatio, type CompareReport } from '../../tools/cli/compare-figures';

const SALTY = join(process.cwd(), 'dist/salty.mjs');
const OUT = join(process.cwd(), 'dist/compare-report');
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const HAVE_CHROMIUM = (() => {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
})();
if (!HAVE_CHROMIUM) console.warn(`compare-html.test.ts: skipped: ${CHROMIUM} is not installed (Debian: apt-get install chromium)`);

const BROWSER_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--hide-scrollbars'];

function chromium(...args: string[]): string {
  const r = spawnSync(CHROMIUM, [...BROWSER_FLAGS, ...args], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Distinct byte values of a PNG's decompressed image data: a blank page has a handful. */
function pngVariety(file: string): number {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length; ) {
    const len = png.readUInt32BE(off);
    if (png.toString('latin1', off + 4, off + 8) === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return new Set(inflateSync(Buffer.concat(idat))).size;
}

describe.skipIf(!HAVE_CHROMIUM)('salty compare --html in headless Chromium', () => {
  let report: CompareReport;
  let dom: string;
  const html = join(OUT, 'report.html');
  const png = join(OUT, 'report.png');

  beforeAll(() => {
    if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const r = spawnSync(process.execPath, [SALTY, 'compare', '--json', '--html', html], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    report = JSON.parse(r.stdout) as CompareReport;
    dom = chromium('--dump-dom', `file://${html}`);
    chromium(`--screenshot=${png}`, '--window-size=1200,4000', `file://${html}`);
  }, 180_000);

  it('is one self-contained page: nothing to fetch', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/(src|href)\s*=\s*"(https?:)?\/\//);
    expect(page).not.toMatch(/<script|<link|@import|url\(/);
  });

  it('draws a bar per backend for every figure, and a line per frame owner over each run', () => {
    const sections = dom.split('<section data-workload="').slice(1);
    expect(sections.map((s) => s.slice(0, s.indexOf('"')))).toEqual(report.workloads.map((w) => w.name));
    sections.forEach((s, i) => {
      const w = report.workloads[i];
      const bars = [...s.matchAll(/<rect class="bar" data-key="([^"]+)" data-arch="(\w+)"[^>]* width="([\d.]+)"/g)];
      expect(bars.length).toBe(w.figures.length * 2);
      for (const [, key, arch, width] of bars) {
        const f = w.figures.find((x) => x.key === key)!;
        const v = f[arch as 'aarch64' | 'x86_64'];
        expect(Number(width) > 0, `${w.name} ${key} ${arch}`).toBe(v > 0);
      }
      for (const arch of ['aarch64', 'x86_64'] as const) {
        const svg = new RegExp(`<svg class="timeline" data-arch="${arch}"[\\s\\S]*?</svg>`).exec(s)![0];
        const lines = [...svg.matchAll(/<polyline class="series" data-owner="([^"]+)" points="([^"]*)"/g)];
        expect(lines.length).toBeGreaterThan(0);
        for (const [, , points] of lines) expect(points.trim().split(' ').length).toBe(w[arch].samples.points.length);
        expect(lines.map((l) => l[1])).toContain('page-table');
      }
    });
  });

  it('shows the numbers --json gives', () => {
    const sections = dom.split('<section data-workload="').slice(1);
    sections.forEach((s, i) => {
      const w = report.workloads[i];
      expect(s).toContain(`data-same="${w.same}"`);
      const rows = [...s.matchAll(/<tr data-key="([^"]+)"><td>[^<]*<\/td><td data-arch="aarch64">([^<]*)<\/td><td data-arch="x86_64">([^<]*)<\/td><td data-ratio="">([^<]*)<\/td><\/tr>/g)];
      expect(rows.map((r) => r[1])).toEqual(w.figures.map((f) => f.key));
      rows.forEach(([, , a, x, ratio], j) => {
        const f = w.figures[j];
        expect([a, x, ratio]).toEqual([formatNumber(f.aarch64), formatNumber(f.x86_64), formatRatio(f.ratio)]);
      });
    });
  });

  it('keeps a screenshot that is not blank', () => {
    expect(statSync(png).size).toBeGreaterThan(20_000);
    expect(pngVariety(png)).toBeGreaterThan(50);
  });
});
