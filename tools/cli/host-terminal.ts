// The host terminal's modes for the guest's TCGETS and TCSETS, through the
// host's stty: `stty -g` prints a terminal's settings as GNU coreutils'
// portable string (iflag:oflag:cflag:lflag, then the 32 control characters
// of glibc's struct, in hex) and `stty STRING` restores them, which is the
// kernel's struct termios in another spelling. A run that never asks its
// terminal's modes never starts stty.

import type { SpawnSyncReturns } from 'node:child_process';
import { createRequire } from 'node:module';
import { KERNEL_TERMIOS_BYTES, TERMIOS_CC, TERMIOS_NCCS } from '../../kernel/linux/terminal-modes';

/** Control characters in glibc's struct termios (and so in stty's string). */
const GLIBC_NCCS = 32;

/** The kernel's termios from stty's `-g` string; undefined when it is not one. */
export function termiosFromStty(text: string): Uint8Array | undefined {
  const fields = text.trim().split(':');
  if (fields.length !== 4 + GLIBC_NCCS || !fields.every((f) => /^[0-9a-f]{1,8}$/i.test(f))) return undefined;
  const n = fields.map((f) => parseInt(f, 16));
  const t = new Uint8Array(KERNEL_TERMIOS_BYTES);
  const v = new DataView(t.buffer);
  for (let k = 0; k < 4; k++) v.setUint32(4 * k, n[k], true);
  for (let i = 0; i < TERMIOS_NCCS; i++) t[TERMIOS_CC + i] = n[4 + i] & 0xff;
  return t;
}

/** stty's string for the kernel's termios `t` (the control characters glibc has beyond the kernel's 19 are 0). */
export function sttyFromTermios(t: Uint8Array): string {
  const v = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const flags = [0, 1, 2, 3].map((k) => v.getUint32(4 * k, true).toString(16));
  const cc = Array.from({ length: GLIBC_NCCS }, (_, i) => (i < TERMIOS_NCCS ? t[TERMIOS_CC + i] : 0).toString(16));
  return [...flags, ...cc].join(':');
}

function stty(fd: number, args: string[]): SpawnSyncReturns<string> {
  const { spawnSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  // stty works on its standard input: the host's fd behind the guest's.
  return spawnSync('stty', args, { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
}

/** The modes of the terminal behind host fd `fd`, or undefined when stty cannot say. */
export function hostTermios(fd: number): Uint8Array | undefined {
  const r = stty(fd, ['-g']);
  return r.status === 0 ? termiosFromStty(r.stdout) : undefined;
}

let warned = false;

/** Sets the terminal behind host fd `fd` to `t`; says once on stderr when stty cannot. */
export function setHostTermios(fd: number, t: Uint8Array): void {
  const r = stty(fd, [sttyFromTermios(t)]);
  if (r.status === 0 || warned) return;
  warned = true;
  const why = r.error?.message ?? r.stderr.trim();
  process.stderr.write(`salty: the terminal's modes were not set (stty: ${why}): the guest's input stays line by line\n`);
}
