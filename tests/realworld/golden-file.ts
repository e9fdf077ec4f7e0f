// golden/<case>.txt: what qemu-aarch64 did with one case. Text, latin1, so
// any byte round-trips:
//
//   # recorded with <qemu version>, <package> <Debian version>
//   command: <N> bytes
//   <the shell command line, run from the repository root: exactly N bytes>
//   stdin: <JSON string>
//   status: <exit status as a shell reports it>
//   stdout: <N> bytes
//   <exactly N bytes>
//   stderr: <M> bytes
//   <exactly M bytes>

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Outcome } from './runners';

export const GOLDEN_DIR = join(__dirname, 'golden');

export interface Golden extends Outcome {
  readonly recordedWith: string;
  readonly command: string;
  readonly stdin: string;
}

export function goldenPath(name: string, dir = GOLDEN_DIR): string {
  return join(dir, `${name}.txt`);
}

export function writeGolden(name: string, g: Golden, dir = GOLDEN_DIR): void {
  const text =
    `# recorded with ${g.recordedWith}\n` +
    `command: ${Buffer.byteLength(g.command, 'latin1')} bytes\n${g.command}\n` +
    `stdin: ${JSON.stringify(g.stdin)}\n` +
    `status: ${g.status}\n` +
    `stdout: ${Buffer.byteLength(g.stdout, 'latin1')} bytes\n${g.stdout}\n` +
    `stderr: ${Buffer.byteLength(g.stderr, 'latin1')} bytes\n${g.stderr}\n`;
  writeFileSync(goldenPath(name, dir), text, 'latin1');
}

export function readGolden(name: string, dir = GOLDEN_DIR): Golden | undefined {
  const path = goldenPath(name, dir);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'latin1');
  let at = 0;
  const line = (key: string): string => {
    const end = text.indexOf('\n', at);
    const l = text.slice(at, end);
    at = end + 1;
    if (!l.startsWith(key)) throw new Error(`${path}: expected "${key}" at "${l}"`);
    return l.slice(key.length);
  };
  const block = (key: string): string => {
    const n = Number(line(key).replace(/ bytes$/, ''));
    const body = text.slice(at, at + n);
    at += n + 1;
    return body;
  };
  const recordedWith = line('# recorded with ');
  const command = block('command: ');
  const stdin = JSON.parse(line('stdin: ')) as string;
  const status = Number(line('status: '));
  const stdout = block('stdout: ');
  const stderr = block('stderr: ');
  return { recordedWith, command, stdin, status, stdout, stderr };
}
