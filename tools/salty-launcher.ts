// dist/salty.mjs: starts the command line (its CommonJS bundle, held in a
// comment at the end of this file: tools/build.mjs) from V8's code cache when
// there is one. Parsing and compiling the
// 2 MB bundle took about a quarter of a short run's CPU time (`salty run
// busybox true`: 0.42-0.55 s user without the cache, 0.28-0.36 s with it;
// docs/performance.md, session 8).
//
// The cache sits in .code-cache beside this file, named after this file's
// size and mtime and the Node version (V8 itself checks only the source's
// length and its own flags), and is written at the exit of the first run
// that had none: it then holds the functions that ran compiled too. A run
// that used what the cache's runs did not (a program after `--version`, a
// long run after a short one; code-cache-uses.ts) writes it again with its
// functions added. Writing is best effort (a read-only install just runs uncached); a
// cache V8 rejects is written again.

import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
// V8 takes a code cache only under the flags it was made with: the block compiler's flags are set before the
// bundle is compiled here, as they were when the cache was written at the exit of an earlier run.
import './cli/wasm-flags';
import { CODE_CACHE_USES } from './cli/code-cache-uses';
import { lowerBackgroundPriority } from './cli/background-priority';

declare const __SALTY_BUNDLE_MARK__: string;

lowerBackgroundPriority();

const self = fileURLToPath(import.meta.url);
const dir = dirname(self);
const stat = statSync(self);
const cacheDir = join(dir, '.code-cache');
const cacheName = `salty.${stat.size}-${Math.floor(stat.mtimeMs)}.${process.version}.cache`;
const cacheFile = join(cacheDir, cacheName);

// The file: how far the runs that wrote it went (u32, code-cache-uses.ts), then V8's data.
let cachedData: Buffer | undefined;
let cachedUses = 0;
try {
  const file = readFileSync(cacheFile);
  if (file.length > 4) {
    cachedUses = file.readUInt32LE(0);
    cachedData = file.subarray(4);
  }
} catch {
  cachedData = undefined;
}

const wrapped = `(function (exports, require, module, __filename, __dirname) {${heldBundle()}\n})`;
const script = new vm.Script(wrapped, { filename: self, cachedData });
const taken = cachedData !== undefined && script.cachedDataRejected !== true;
process.once('exit', () => {
  const uses = (globalThis as unknown as Record<symbol, number | undefined>)[CODE_CACHE_USES] ?? 0;
  // Written again when this run went further than the cache's runs: the cache then holds their functions and this run's.
  if (!taken || uses > cachedUses) writeCache(script, uses);
});
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(self), module, self, dir);

/** The bundle from the comment that ends this file. */
function heldBundle(): string {
  const file = readFileSync(self, 'latin1');
  const start = file.indexOf(__SALTY_BUNDLE_MARK__);
  const end = file.lastIndexOf('*/');
  if (start < 0 || end < start) throw new Error(`${self}: the command line's bundle is missing (rebuild with npm run build)`);
  return file.slice(start + __SALTY_BUNDLE_MARK__.length, end).replaceAll('*\0/', '*/');
}

function writeCache(s: vm.Script, uses: number): void {
  try {
    const head = Buffer.alloc(4);
    head.writeUInt32LE(uses >>> 0);
    const data = Buffer.concat([head, s.createCachedData()]);
    mkdirSync(cacheDir, { recursive: true });
    // Another salty may write the same cache at the same time: each writes its own file, then renames.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, cacheFile);
    // Caches of earlier builds (or Node versions) are dead weight.
    for (const f of readdirSync(cacheDir)) if (f !== cacheName && !f.endsWith('.tmp')) unlinkSync(join(cacheDir, f));
  } catch {
    // Best effort: without a cache the next run compiles the bundle again.
  }
}
