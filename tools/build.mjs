// Bundles the command line and the benchmark into dist/ with esbuild.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  loader: { '.elf': 'binary' },
  define: { __SALTY_VERSION__: JSON.stringify(version) },
};

// Every copy of `string-width` in the command line's bundle is tools/cli/lazy-string-width.ts, which loads the
// package at its first call (its module's start-up cost a quarter of the bundle's evaluation); that file's own
// import resolves as usual.
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    const lazy = fileURLToPath(new URL('./cli/lazy-string-width.ts', import.meta.url));
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === lazy ? undefined : { path: lazy }));
  },
};

// `assert` (elfy's and yargs's) is tools/cli/lazy-assert.ts: node:assert loads at its first use, not at every start.
const lazyAssert = {
  name: 'lazy-assert',
  setup(b) {
    const lazy = fileURLToPath(new URL('./cli/lazy-assert.ts', import.meta.url));
    b.onResolve({ filter: /^assert$/ }, () => ({ path: lazy }));
  },
};

// The command line: a CommonJS bundle held as a string in dist/salty.mjs, which compiles it through V8's code
// cache (tools/salty-launcher.ts); one file, which still runs when copied anywhere.
const main = await build({
  ...common,
  plugins: [lazyStringWidth, lazyAssert],
  entryPoints: ['tools/salty.ts'],
  outfile: 'dist/salty-main.cjs',
  format: 'cjs',
  sourcemap: false,
  write: false,
  // Strict, as the ESM bundle was (modules are strict; a CommonJS bundle is not unless it says so).
  banner: { js: "'use strict';\nconst __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
});
await build({
  ...common,
  entryPoints: ['tools/salty-launcher.ts'],
  outfile: 'dist/salty.mjs',
  sourcemap: false,
  banner: { js: '#!/usr/bin/env node' },
  define: { ...common.define, __SALTY_MAIN_SOURCE__: JSON.stringify(main.outputFiles[0].text) },
});
await build({ ...common, entryPoints: ['tools/bench.ts'], outfile: 'dist/bench.mjs' });
// Runs guest programs in a worker thread, one fresh system each (tests/ltp's pool).
await build({ ...common, entryPoints: ['tools/run-worker.ts'], outfile: 'dist/run-worker.mjs' });
