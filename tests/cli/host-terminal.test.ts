// The host terminal's modes through stty (tools/cli/host-terminal.ts): the
// kernel's termios and GNU stty's -g string both ways, and a live run in a
// pseudo terminal (script(1)): a guest that turns canonical input and echo
// off gets a key without a newline, as under qemu-user.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cookedTermios } from '../../kernel/linux/terminal-modes';
import { sttyFromTermios, termiosFromStty } from '../../tools/cli/host-terminal';
import { KEY } from '../linux/terminal-programs';
import { tinyElf } from '../linux/tiny-elf';

/** What `stty -g` printed for a fresh pty on Linux with GNU coreutils 9.1. */
const FRESH_PTY = '500:5:bf:8a3b:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0';

const CLI = join(process.cwd(), 'dist/salty.mjs');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// A pseudo terminal from script(1) (util-linux) and the host's stty; where there is none (no /dev/ptmx), not run.
const live = process.platform === 'linux' && has('stty') && has('script') && spawnSync('script', ['-qc', 'true', '/dev/null'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'salty-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the host terminal's modes", () => {
  it("read stty's string as the kernel's termios and write it back the same", () => {
    expect([...termiosFromStty(FRESH_PTY)!]).toEqual([...cookedTermios()]);
    expect(sttyFromTermios(cookedTermios())).toBe(FRESH_PTY);
    expect(termiosFromStty('500:5:bf')).toBeUndefined();
    expect(termiosFromStty(FRESH_PTY.replace('8a3b', 'zz'))).toBeUndefined();
  });

  it.runIf(live)('reach the real terminal: with canonical input off the guest reads a key without a newline', async () => {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
    const elf = join(dir, 'key.elf');
    writeFileSync(elf, tinyElf(KEY));
    // script's stdin stays open: in canonical mode the guest's read would wait for a newline that never comes.
    const child = spawn('script', ['-qc', `'${process.execPath}' '${CLI}' run '${elf}'`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      // The guest has set its modes: one key, no newline.
      if (!sent && out.includes('R')) {
        sent = true;
        child.stdin.write('k');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(timer);
    child.stdin.destroy();
    expect(code, out).toBe(0);
    // Echo off: the terminal did not print the key; the guest did, once.
    expect(out.replace(/\r/g, '')).toBe('Rk');
  }, 30_000);
});
