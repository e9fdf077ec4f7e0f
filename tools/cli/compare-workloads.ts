// The built-in workloads of `salty compare`: our own programs
// (tests/fixtures/compare, rebuilt by its build.sh), embedded in the bundle.

import forkA64 from '../../tests/fixtures/compare/fork-aarch64.elf';
import forkX86 from '../../tests/fixtures/compare/fork-x86_64.elf';
import churnA64 from '../../tests/fixtures/compare/churn-aarch64.elf';
import churnX86 from '../../tests/fixtures/compare/churn-x86_64.elf';
import sparseA64 from '../../tests/fixtures/compare/sparse-aarch64.elf';
import sparseX86 from '../../tests/fixtures/compare/sparse-x86_64.elf';
import threadsA64 from '../../tests/fixtures/compare/threads-aarch64.elf';
import threadsX86 from '../../tests/fixtures/compare/threads-x86_64.elf';
import filemapA64 from '../../tests/fixtures/compare/filemap-aarch64.elf';
import filemapX86 from '../../tests/fixtures/compare/filemap-x86_64.elf';

export interface Workload {
  readonly name: string;
  readonly aarch64: { readonly file: string; readonly bytes: Uint8Array };
  readonly x86_64: { readonly file: string; readonly bytes: Uint8Array };
}

function pair(name: string, a: Uint8Array, x: Uint8Array): Workload {
  return { name, aarch64: { file: `${name}-aarch64.elf`, bytes: a }, x86_64: { file: `${name}-x86_64.elf`, bytes: x } };
}

export const BUILTIN_WORKLOADS: readonly Workload[] = [
  pair('fork', forkA64, forkX86),
  pair('churn', churnA64, churnX86),
  pair('sparse', sparseA64, sparseX86),
  pair('threads', threadsA64, threadsX86),
  pair('filemap', filemapA64, filemapX86),
];
