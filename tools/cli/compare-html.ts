// salty compare --html: one self-contained page (inline CSS and SVG, no
// script, nothing fetched at view time): per workload the verdict, a bar
// chart per group of figures (each figure scaled to its larger side), frames
// in use per owner over the run, and the figures' table.

import { FRAME_OWNERS, OWNER_LABEL, type FrameOwner } from '../../kernel/mm/frame-owner';
import type { BackendRun } from './compare-run';
import { formatNumber, formatRatio, type CompareReport, type Figure, type WorkloadReport } from './compare-figures';

const ARCH_COLOR = { aarch64: '#3b6fb6', x86_64: '#d9822b' } as const;
const OWNER_COLOR: Record<FrameOwner, string> = {
  free: '#999999',
  'kernel-image': '#555555',
  'page-table': '#c0392b',
  'untyped-reserved': '#8e44ad',
  'mo-data': '#2e86c1',
  'mo-meta': '#17a589',
  'kernel-object': '#d4ac0d',
  device: '#7f8c8d',
  'fs-data': '#27ae60',
  kobj: '#a04000',
};

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px;margin:16px 0 4px}
.same{color:#1e7d32}.differ{color:#b71c1c;font-weight:bold}
table{border-collapse:collapse;margin:8px 0}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:16px}
.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
svg text{font:11px system-ui,sans-serif}`;

export function renderHtml(report: CompareReport): string {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<title>salty compare</title>',
    `<style>${STYLE}</style></head><body>`,
    `<h1>salty compare: aarch64 and x86_64 backends side by side</h1>`,
    `<p>salty ${esc(report.version)}, guest RAM ${report.memoryBytes / (1 << 20)} MiB. Ratios are x86_64 / aarch64.`,
    ` <span class="key"><span style="background:${ARCH_COLOR.aarch64}"></span>aarch64<span style="background:${ARCH_COLOR.x86_64}"></span>x86_64</span></p>`,
  ];
  for (const w of report.workloads) parts.push(workloadSection(w));
  parts.push('</body></html>\n');
  return parts.join('\n');
}

function workloadSection(w: WorkloadReport): string {
  const groups = [...new Set(w.figures.map((f) => f.group))];
  const verdict = w.same
    ? `<p class="same" data-same="true">Behaved the same: stdout, stderr and exit status (${w.aarch64.status}) agree.</p>`
    : `<p class="differ" data-same="false">Behaved differently: ${esc(w.firstDifference ?? '')}</p>`;
  return [
    `<section data-workload="${esc(w.name)}">`,
    `<h2>${esc(w.name)}${w.args.length ? ' ' + esc(w.args.join(' ')) : ''}</h2>`,
    `<p>${esc(w.aarch64.file)} on aarch64, ${esc(w.x86_64.file)} on x86_64.</p>`,
    verdict,
    '<h3>Frames in use per owner over the run</h3>',
    `<div class="charts">${timeline(w.aarch64, w)}${timeline(w.x86_64, w)}</div>`,
    '<h3>Figures</h3>',
    `<div class="charts">${groups.map((g) => barChart(g, w.figures.filter((f) => f.group === g))).join('')}</div>`,
    figureTable(w.figures),
    output(w.aarch64),
    output(w.x86_64),
    '</section>',
  ].join('\n');
}

/** What the program printed, folded away. */
function output(r: BackendRun): string {
  const stream = (name: string, text: string): string => (text.length === 0 ? `<p>${name}: empty</p>` : `<p>${name}:</p><pre>${esc(text)}</pre>`);
  return `<details><summary>${r.arch}: output, exit status ${r.status}</summary>${stream('stdout', r.stdout)}${stream('stderr', r.stderr)}</details>`;
}

function figureTable(figures: readonly Figure[]): string {
  const rows = figures.map(
    (f) =>
      `<tr data-key="${esc(f.key)}"><td>${esc(f.label)}</td><td data-arch="aarch64">${formatNumber(f.aarch64)}</td>` +
      `<td data-arch="x86_64">${formatNumber(f.x86_64)}</td><td data-ratio>${formatRatio(f.ratio)}</td></tr>`,
  );
  return `<table><thead><tr><th>figure</th><th>aarch64</th><th>x86_64</th><th>x86/a64</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** Two bars per figure, each figure scaled to its larger side. */
function barChart(group: string, figures: readonly Figure[]): string {
  const labelW = 190;
  const barW = 220;
  const rowH = 30;
  const h = 22 + figures.length * rowH;
  const rows = figures.map((f, i) => {
    const y = 20 + i * rowH;
    const max = Math.max(f.aarch64, f.x86_64, 1e-9);
    const bar = (v: number, dy: number, color: string, arch: string): string => {
      const w = Math.max(v > 0 ? 1 : 0, (v / max) * barW);
      return `<rect class="bar" data-key="${esc(f.key)}" data-arch="${arch}" x="${labelW}" y="${y + dy}" width="${w.toFixed(1)}" height="11" fill="${color}"/>` + `<text x="${labelW + w + 4}" y="${y + dy + 10}">${formatNumber(v)}</text>`;
    };
    return `<text x="0" y="${y + 14}">${esc(f.label.replace(/^[^:]*: /, ''))}</text>` + bar(f.aarch64, 0, ARCH_COLOR.aarch64, 'aarch64') + bar(f.x86_64, 13, ARCH_COLOR.x86_64, 'x86_64');
  });
  return `<svg class="bars" width="${labelW + barW + 90}" height="${h}" viewBox="0 0 ${labelW + barW + 90} ${h}" role="img"><title>${esc(group)}</title><text x="0" y="12" font-weight="bold">${esc(group)}</text>${rows.join('')}</svg>`;
}

/** Frames in use per owner over the run of one backend, on axes both backends share. */
function timeline(r: BackendRun, w: WorkloadReport): string {
  const W = 520;
  const H = 220;
  const left = 48;
  const bottom = 30;
  const top = 24;
  const plotW = W - left - 10;
  const plotH = H - top - bottom;
  const both = [...w.aarch64.samples.points, ...w.x86_64.samples.points];
  const xMax = Math.max(1, ...both.map((p) => p.insns));
  const owners = FRAME_OWNERS.filter((o) => o !== 'free' && both.some((p) => (p.frames[o] ?? 0) > 0));
  const yMax = Math.max(1, ...both.flatMap((p) => owners.map((o) => p.frames[o] ?? 0)));
  const px = (x: number): string => (left + (x / xMax) * plotW).toFixed(1);
  const py = (y: number): string => (top + plotH - (y / yMax) * plotH).toFixed(1);
  const lines = owners.map((o) => {
    const pts = r.samples.points.map((p) => `${px(p.insns)},${py(p.frames[o] ?? 0)}`).join(' ');
    return `<polyline class="series" data-owner="${o}" points="${pts}" fill="none" stroke="${OWNER_COLOR[o]}" stroke-width="1.5"/>`;
  });
  let lx = 4;
  const legend = owners.map((o) => {
    const item = `<rect x="${lx}" y="${H - 12}" width="9" height="9" fill="${OWNER_COLOR[o]}"/><text x="${lx + 12}" y="${H - 4}">${esc(OWNER_LABEL[o])}</text>`;
    lx += 22 + OWNER_LABEL[o].length * 5.6;
    return item;
  });
  const title = `${r.arch}: every ${r.samples.every} instructions, ${r.samples.points.length} samples`;
  return (
    `<svg class="timeline" data-arch="${r.arch}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>` +
    `<text x="${left}" y="14" font-weight="bold">${esc(title)}</text>` +
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#444"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#444"/>` +
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end">${yMax}</text><text x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>` +
    `<text x="${left + plotW}" y="${top + plotH + 14}" text-anchor="end">${xMax} instructions</text>` +
    lines.join('') +
    legend.join('') +
    '</svg>'
  );
}
