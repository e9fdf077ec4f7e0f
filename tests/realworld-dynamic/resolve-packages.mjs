// Prints (as apt-get download names) the arm64 packages the given ones need at run time: the closure of
// their Depends and Pre-Depends in the Packages index of the archive apt
// knows (read from stdin, the concatenated index files). The first
// alternative that exists (by name or as a Provides) is taken; packages that
// only matter to an installer (debconf, dpkg, ...) are left out.
//
//   node resolve-packages.mjs ROOT... < Packages

import { readFileSync } from 'node:fs';

const INSTALLER_ONLY = new Set(['debconf', 'debconf-2.0', 'cdebconf', 'dpkg', 'install-info', 'ucf', 'init-system-helpers', 'adduser', 'sensible-utils', 'lsb-base']);

function stanzas(text) {
  const out = new Map();
  const provides = new Map();
  for (const block of text.split(/\n\n+/)) {
    const fields = {};
    let key = '';
    for (const line of block.split('\n')) {
      if (/^\s/.test(line) && key) fields[key] += ' ' + line.trim();
      else {
        const m = /^([\w-]+):\s*(.*)$/.exec(line);
        if (m) fields[(key = m[1])] = m[2];
      }
    }
    if (!fields.Package) continue;
    out.set(fields.Package, fields);
    for (const p of (fields.Provides ?? '').split(',').map((s) => s.trim().split(/\s/)[0]).filter(Boolean)) {
      if (!provides.has(p)) provides.set(p, fields.Package);
    }
  }
  return { packages: out, provides };
}

function dependencies(fields) {
  return [fields['Pre-Depends'], fields.Depends]
    .filter(Boolean)
    .join(',')
    .split(',')
    .map((group) => group.split('|').map((alt) => alt.trim().split(/[\s(:]/)[0]))
    .filter((alts) => alts[0]);
}

const { packages, provides } = stanzas(readFileSync(0, 'utf8'));
const chosen = new Set();
const queue = process.argv.slice(2);
while (queue.length > 0) {
  const name = queue.shift();
  const real = packages.has(name) ? name : provides.get(name);
  if (!real || chosen.has(real) || INSTALLER_ONLY.has(real) || INSTALLER_ONLY.has(name)) {
    if (!real && !INSTALLER_ONLY.has(name)) console.error(`resolve-packages: no package ${name}`);
    continue;
  }
  chosen.add(real);
  for (const alts of dependencies(packages.get(real))) {
    const pick = alts.find((a) => packages.has(a) || provides.has(a)) ?? alts[0];
    queue.push(pick);
  }
}
// apt-get download's names: NAME:arm64, or NAME alone for an Architecture: all package.
console.log([...chosen].sort().map((n) => (packages.get(n).Architecture === 'all' ? n : `${n}:arm64`)).join('\n'));
