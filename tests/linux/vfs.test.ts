// The overlay filesystem: a read-only host directory under an in-memory layer.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegularFile } from '../../kernel/vfs/open-file';
import { OverlayFs } from '../../kernel/vfs/overlay-fs';
import { createPipe, PIPE_CAPACITY } from '../../kernel/vfs/pipe';
import { golden, runOnSalty } from './run-fixture';

function hostTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'salty-vfs-'));
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc/motd'), 'host file\n');
  symlinkSync('/etc/motd', join(dir, 'motd-link'));
  symlinkSync('../etc', join(dir, 'etc/self'));
  return dir;
}

const names = (fs: OverlayFs, p: string): string[] => fs.readdir(p).map((e) => e.name).sort();

describe('overlay filesystem', () => {
  it('resolves host paths, absolute symlinks inside the root, and .. at the root', () => {
    const fs = new OverlayFs(hostTree());
    const r = fs.resolve('/', '/../motd-link', true);
    if (typeof r === 'number') throw new Error(`errno ${r}`);
    expect(r.path).toBe('/etc/motd');
    expect(Buffer.from(fs.contents(r.node!)).toString()).toBe('host file\n');
    const loop = fs.resolve('/etc', 'self/self/self/motd', true);
    expect(typeof loop === 'number' ? loop : loop.path).toBe('/etc/motd');
    expect(fs.resolve('/', '/etc/motd/x', true)).toBe(-20); // ENOTDIR
    expect(fs.resolve('/', '/nope/x', true)).toBe(-2); // ENOENT
  });

  it('keeps the host untouched: writes copy up, deletes leave whiteouts', () => {
    const host = hostTree();
    const fs = new OverlayFs(host);
    const r = fs.resolve('/', '/etc/motd', true);
    if (typeof r === 'number' || !r.node) throw new Error('missing');
    const f = new RegularFile(r.path, 2, r.node, fs);
    f.write(Buffer.from('guest'), 0);
    const again = fs.resolve('/', '/etc/motd', true);
    if (typeof again === 'number' || !again.node) throw new Error('missing');
    expect(Buffer.from(fs.contents(again.node)).toString()).toBe('guestfile\n');
    expect(readFileSync(join(host, 'etc/motd'), 'utf8')).toBe('host file\n');
    expect(fs.unlink('/etc/motd', false)).toBe(0);
    expect(fs.lstat('/etc/motd')).toBeNull();
    expect(names(fs, '/etc')).toEqual(['self']);
    expect(readdirSync(join(host, 'etc')).sort()).toEqual(['motd', 'self']);
    expect(fs.mkdir('/etc/new', 0o755)).toBe(0);
    expect(fs.rename('/etc/new', '/moved')).toBe(0);
    expect(names(fs, '/')).toEqual(['etc', 'motd-link', 'moved']);
    expect(fs.unlink('/etc', true)).toBe(-39); // ENOTEMPTY: self is still there
  });

  it('runs a program with --root: it sees the directory as / and cannot change it', () => {
    const root = mkdtempSync(join(tmpdir(), 'salty-root-'));
    mkdirSync(join(root, 'tmp'));
    const got = runOnSalty('files', [], '', root);
    expect(got.stdout).toBe(golden('files').stdout);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    const empty = mkdtempSync(join(tmpdir(), 'salty-root-'));
    const none = runOnSalty('files', [], '', empty);
    expect(none.stdout).toBe('mkdir: No such file or directory\n');
    expect(none.status).toBe(1);
  });
});

describe('pipes', () => {
  it('queue bytes in order, report a full pipe, end-of-file and EPIPE', () => {
    const [r, w] = createPipe(0);
    expect(r.read(10)).toBe(-11); // empty with a writer: EAGAIN
    expect(w.write(Buffer.from('abc'))).toBe(3);
    expect(w.write(Buffer.from('def'))).toBe(3);
    expect(Buffer.from(r.read(4) as Uint8Array).toString()).toBe('abcd');
    expect(w.write(new Uint8Array(PIPE_CAPACITY))).toBe(PIPE_CAPACITY - 2);
    expect(w.pollOut()).toBe(false);
    expect(w.write(new Uint8Array(1))).toBe(-11);
    w.release();
    expect((r.read(PIPE_CAPACITY * 2) as Uint8Array).length).toBe(PIPE_CAPACITY);
    expect((r.read(1) as Uint8Array).length).toBe(0); // EOF
    const [r2, w2] = createPipe(0);
    r2.release();
    expect(w2.write(new Uint8Array(1))).toBe(-32);
  });
});
