// V8 flags for the block compiler's modules, set on import (before any
// module is compiled). --experimental-wasm-branch-hinting makes V8 read the
// branch hints the compiler emits (wasm-module.ts branchHints): the slow
// path of every memory access becomes deferred code, so its calls' spills
// and reloads leave the fast path (docs/performance.md, session 8). Only on
// V8 11, where it was measured (Node 20); another V8 may not know the flag
// and would print an error for it. The hints never change what code does.

import { setFlagsFromString } from 'node:v8';

if (process.versions.v8.startsWith('11.') && process.env.SALTY_WASM_HINTS !== '0') setFlagsFromString('--experimental-wasm-branch-hinting');
