// Bundles the command line and the benchmark into dist/ with esbuild.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// The command line: a CommonJS bundle held in a comment at the end of dist/salty.mjs, which reads it from its own
// file and compiles it through V8's code cache (tools/salty-launcher.ts); one file, which still runs when copied
// anywhere. A comment, not a string literal: V8 skips a comment faster than it scans a 2 MB string with its
// escapes (Node reached the launcher's first line 10 ms sooner). The comment's `*/` inside the bundle are held
// as `*\0/` (the bundle is ASCII and has no NUL), and the comment starts after BUNDLE_MARK, whose NULs appear
// nowhere else in the file (the launcher's copy is a string literal with escapes).
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
const BUNDLE_MARK = '\n/*\0salty bundle\0\n';
const bundle = main.outputFiles[0].text;
if (!/^[\x01-\x7f]*$/.test(bundle)) throw new Error('the command line bundle must be ASCII without NUL (esbuild charset)');
const launcher = await build({
  ...common,
  entryPoints: ['tools/salty-launcher.ts'],
  outfile: 'dist/salty.mjs',
  sourcemap: false,
  write: false,
  banner: { js: '#!/usr/bin/env node' },
  define: { ...common.define, __SALTY_BUNDLE_MARK__: JSON.stringify(BUNDLE_MARK) },
});
mkdirSync('dist', { recursive: true });
writeFileSync('dist/salty.mjs', launcher.outputFiles[0].text + BUNDLE_MARK + bundle.replaceAll('*/', '*\0/') + '*/\n', { mode: 0o755 });
await build({ ...common, entryPoints: ['tools/bench.ts'], outfile: 'dist/bench.mjs' });
// The block compiler's translator thread (tools/cli/jit-worker-client.ts starts it from beside the bundle).
await build({ ...common, entryPoints: ['tools/cli/jit-worker.ts'], outfile: 'dist/jit-worker.mjs', sourcemap: false });
// Runs guest programs in a worker thread, one fresh system each (tests/ltp's pool).
await build({ ...common, entryPoints: ['tools/run-worker.ts'], outfile: 'dist/run-worker.mjs' });
