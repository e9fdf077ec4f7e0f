import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as AT from '../../loader/auxv';
import { buildInitialStack, InitialStack } from '../../loader/initial-stack';
import { FIXTURE_DIR, hasTool } from './loader-fixtures';
import { ParsedStack, parseStack, StackMemory } from './stack-reader';

// The probe's command line, as tests/fixtures/loader/build.sh runs it for the golden file.
const PROBE = './stack-probe-aarch64.elf';
const ARGV = [PROBE, 'one', 'two', 'three four'];
const ENV_GIVEN = ['A=1', 'BB=22'];

interface ProbeDump {
  sp: number;
  top: number;
  memory: StackMemory;
}

/** Parses the probe's output: "sp <hex> top <hex>" then "<address> <word>" lines from sp to top. */
function parseDump(text: string): ProbeDump {
  const lines = text.trim().split('\n');
  const head = /^sp ([0-9a-f]+) top ([0-9a-f]+)$/.exec(lines[0]);
  if (head === null) throw new Error(`unexpected probe header: ${lines[0]}`);
  const sp = parseInt(head[1], 16);
  const top = parseInt(head[2], 16);
  const bytes = new Uint8Array(top - sp);
  const view = new DataView(bytes.buffer);
  for (const line of lines.slice(1)) {
    const [address, word] = line.split(' ');
    const offset = parseInt(address, 16) - sp;
    view.setUint32(offset, parseInt(word.slice(8), 16), true);
    view.setUint32(offset + 4, parseInt(word.slice(0, 8), 16), true);
  }
  expect(lines.length - 1).toBe((top - sp) / 8);
  return { sp, top, memory: new StackMemory(bytes, sp) };
}

/** Our stack for the same program, fed with qemu's own auxv values and random bytes. */
function ourStack(dump: ProbeDump, seen: ParsedStack, envSeen: string[]): InitialStack {
  const aux = new Map(seen.auxv);
  const value = (type: number): number => {
    const v = aux.get(type);
    if (v === undefined) throw new Error(`qemu gave no ${AT.AUXV_NAMES[type]}`);
    return v;
  };
  return buildInitialStack({
    stackTop: dump.top,
    argv: ARGV,
    envp: envSeen,
    execfn: dump.memory.cString(value(AT.AT_EXECFN)),
    platform: dump.memory.cString(value(AT.AT_PLATFORM)),
    random: dump.memory.slice(value(AT.AT_RANDOM), 16).slice(),
    auxv: {
      phdr: value(AT.AT_PHDR), phent: value(AT.AT_PHENT), phnum: value(AT.AT_PHNUM), pageSize: value(AT.AT_PAGESZ),
      base: value(AT.AT_BASE), flags: value(AT.AT_FLAGS), entry: value(AT.AT_ENTRY), uid: value(AT.AT_UID),
      euid: value(AT.AT_EUID), gid: value(AT.AT_GID), egid: value(AT.AT_EGID), hwcap: value(AT.AT_HWCAP),
      hwcap2: value(AT.AT_HWCAP2), clockTicks: value(AT.AT_CLKTCK), secure: value(AT.AT_SECURE),
    },
  });
}

function compareWithQemu(text: string): void {
  const dump = parseDump(text);
  const seen = parseStack(dump.memory, dump.sp);
  expect(dump.sp % 16).toBe(0);
  expect(seen.argc).toBe(ARGV.length);
  expect(seen.argvPointers.map((p) => dump.memory.cString(p))).toEqual(ARGV);
  const envSeen = seen.envpPointers.map((p) => dump.memory.cString(p));
  // qemu-user reverses the environment (Linux keeps it); our builder keeps what it is given.
  expect(envSeen).toEqual([...ENV_GIVEN].reverse());

  const ours = ourStack(dump, seen, envSeen);
  const mine = new StackMemory(ours.bytes, ours.sp);
  const parsedOurs = parseStack(mine, ours.sp);

  // Strings area: the same bytes at the same addresses, from argv[0] up to the top (execfn, zero word).
  const from = ours.argStrings[0];
  expect(from).toBe(seen.argvPointers[0]);
  expect(Array.from(mine.slice(from, dump.top - from))).toEqual(Array.from(dump.memory.slice(from, dump.top - from)));
  expect(parsedOurs.argvPointers).toEqual(seen.argvPointers);
  expect(parsedOurs.envpPointers).toEqual(seen.envpPointers);

  // The same auxv entries; the pointers compared by what they point at, since qemu and Linux
  // place the platform string and random bytes differently (qemu rounds them to 8 and 16 bytes).
  const theirs = new Map(seen.auxv);
  const oursMap = new Map(parsedOurs.auxv);
  expect([...oursMap.keys()].sort((a, b) => a - b)).toEqual([...theirs.keys()].sort((a, b) => a - b));
  for (const [type, v] of theirs) {
    if (type === AT.AT_RANDOM || type === AT.AT_PLATFORM) continue;
    expect([AT.AUXV_NAMES[type], oursMap.get(type)]).toEqual([AT.AUXV_NAMES[type], v]);
  }
  expect(mine.cString(oursMap.get(AT.AT_PLATFORM)!)).toBe(dump.memory.cString(theirs.get(AT.AT_PLATFORM)!));
  expect(Array.from(mine.slice(oursMap.get(AT.AT_RANDOM)!, 16))).toEqual(
    Array.from(dump.memory.slice(theirs.get(AT.AT_RANDOM)!, 16)),
  );
  // Placement of the platform string and random bytes: Linux aligns the string area down to 16
  // first (arch_align_stack), then places platform and random; qemu 7.2 places the platform
  // string first, then aligns, then the random bytes. Everything below follows from those.
  const platformLength = mine.cString(oursMap.get(AT.AT_PLATFORM)!).length + 1;
  const alignDown16 = (a: number): number => a - (a % 16);
  expect(theirs.get(AT.AT_PLATFORM)).toBe(seen.argvPointers[0] - platformLength);
  expect(theirs.get(AT.AT_RANDOM)).toBe(alignDown16(theirs.get(AT.AT_PLATFORM)!) - 16);
  expect(ours.platformAddress).toBe(alignDown16(from) - platformLength);
  expect(ours.randomAddress).toBe(ours.platformAddress! - 16);
  // Both then put the tables as high as 16-byte alignment of SP allows.
  const tableBytes = seen.tablesEnd - dump.sp;
  expect(parsedOurs.tablesEnd - ours.sp).toBe(tableBytes);
  expect(dump.sp).toBe(alignDown16(theirs.get(AT.AT_RANDOM)! - tableBytes));
  expect(ours.sp).toBe(alignDown16(ours.randomAddress - tableBytes));
}

describe('initial stack compared with qemu-aarch64', () => {
  test('against the committed golden dump', () => {
    compareWithQemu(readFileSync(join(FIXTURE_DIR, 'stack-probe-aarch64.golden.txt'), 'utf8'));
  });

  test.runIf(hasTool('qemu-aarch64'))('against a live qemu-aarch64 run', () => {
    const out = execFileSync('env', ['-i', ...ENV_GIVEN, 'qemu-aarch64', ...ARGV], { cwd: FIXTURE_DIR, encoding: 'utf8' });
    compareWithQemu(out);
  });
});

const AUXV_WALK_C = `#include <stdio.h>
#include <sys/auxv.h>
int main(int argc, char **argv, char **envp) {
  char **p = envp;
  while (*p) p++;
  unsigned long *aux = (unsigned long *)(p + 1);
  printf("argc %d sp %lx\\n", argc, (unsigned long)(argv - 1));
  for (; aux[0] != 0; aux += 2) printf("%lu %lx %lx\\n", aux[0], aux[1], getauxval(aux[0]));
  return 0;
}
`;

describe.runIf(hasTool('qemu-aarch64') && hasTool('aarch64-linux-gnu-gcc'))('glibc reads the auxv where we put it', () => {
  test('getauxval agrees with walking past envp, entry by entry', () => {
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    const source = join(dir, 'auxv-walk.c');
    const binary = join(dir, 'auxv-walk');
    execFileSync('sh', ['-c', `cat > ${source}`], { input: AUXV_WALK_C });
    execFileSync('aarch64-linux-gnu-gcc', ['-static', '-O2', '-o', binary, source]);
    const out = execFileSync('env', ['-i', 'K=V', 'qemu-aarch64', binary, 'x', 'y'], { encoding: 'utf8' });
    const [head, ...rows] = out.trim().split('\n');
    expect(head).toMatch(/^argc 3 sp [0-9a-f]+$/);
    expect(parseInt(head.split(' ')[3], 16) % 16).toBe(0);
    const types = rows.map((row) => {
      const [type, walked, fromGlibc] = row.split(' ');
      expect(fromGlibc).toBe(walked);
      return Number(type);
    });
    for (const type of [AT.AT_PHDR, AT.AT_PHENT, AT.AT_PHNUM, AT.AT_PAGESZ, AT.AT_ENTRY, AT.AT_RANDOM, AT.AT_EXECFN, AT.AT_PLATFORM]) {
      expect(types).toContain(type);
    }
  });
});
