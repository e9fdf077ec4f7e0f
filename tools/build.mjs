// Bundles the command line and the benchmark into dist/ with esbuild.
import { readFileSync } from 'node:fs';
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

await build({ ...common, entryPoints: ['tools/salty.ts'], outfile: 'dist/salty.mjs', banner: { js: '#!/usr/bin/env node\n' + common.banner.js } });
await build({ ...common, entryPoints: ['tools/bench.ts'], outfile: 'dist/bench.mjs' });
// Runs guest programs in a worker thread, one fresh system each (tests/ltp's pool).
await build({ ...common, entryPoints: ['tools/run-worker.ts'], outfile: 'dist/run-worker.mjs' });
