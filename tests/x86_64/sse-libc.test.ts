// Every SSE-family instruction encoding found in the functions a static
// glibc 2.36 / musl 1.2.3 program can run on a CPU without AVX (string
// routines, printf, strtod, libm) decodes to a row of the x86-64 table.
// The committed list comes from tests/x86_64/sse-oracle/libc-insns.sh; where
// gcc and objdump are present the list is rebuilt live from fresh builds.

import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { X86Insn } from '../../board/x86_64/decoder';
import { x86Table } from '../../board/x86_64/isa/x86-table';

type Entry = [string, string, string];

function undecodable(list: Entry[]): string[] {
  const t = x86Table();
  const bad: string[] = [];
  for (const [hex, text, fn] of list) {
    const b = Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
    let ok = false;
    try {
      const i = t.decode(b, 0, b.length, new X86Insn());
      ok = i.row !== undefined && i.length === b.length;
    } catch {
      ok = false;
    }
    if (!ok) bad.push(`${hex} ${text} <${fn}>`);
  }
  return bad;
}

const script = fileURLToPath(new URL('./sse-oracle/libc-insns.sh', import.meta.url));
const haveTools = arch() === 'x64' && spawnSync('gcc', ['--version']).status === 0 && spawnSync('objdump', ['--version']).status === 0;

describe('SSE instructions of static glibc and musl', () => {
  it('the committed list decodes', () => {
    const list: Entry[] = JSON.parse(readFileSync(fileURLToPath(new URL('./sse-oracle/libc-insns.json', import.meta.url)), 'utf8'));
    expect(list.length).toBeGreaterThan(500);
    expect(undecodable(list)).toEqual([]);
  });
  (haveTools ? it : it.skip)('a fresh build decodes', () => {
    const out = execFileSync('bash', [script, mkdtempSync(join(tmpdir(), 'salty-libc-'))], { maxBuffer: 1 << 26 }).toString();
    expect(undecodable(JSON.parse(out))).toEqual([]);
  });
});
