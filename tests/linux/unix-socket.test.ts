// The AF_UNIX layer by itself: what a receive takes from a stream that
// carries passed files, what happens to files nobody receives, and hard links
// of a host file in the overlay.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OverlayFs } from '../../kernel/vfs/overlay-fs';
import { createPipe } from '../../kernel/vfs/pipe';
import { createSocketPair } from '../../kernel/vfs/socket-pair';
import { Ancillary, SOCK_STREAM, UNNAMED } from '../../kernel/vfs/unix-socket';

const me = { pid: 7, uid: 0, gid: 0 };
const text = (b: Uint8Array): string => Buffer.from(b).toString();

describe('AF_UNIX stream with passed files', () => {
  it('a read stops after the write that carried files, and the files go with the first byte read', () => {
    const [a, b] = createSocketPair(SOCK_STREAM, 0, me, () => me);
    const [r, w] = createPipe(0);
    expect(a.send(new TextEncoder().encode('ab'), new Ancillary([], me, UNNAMED), null)).toBe(2);
    expect(a.send(new TextEncoder().encode('cd'), new Ancillary([r], me, UNNAMED), null)).toBe(2);
    expect(a.send(new TextEncoder().encode('ef'), new Ancillary([], me, UNNAMED), null)).toBe(2);
    const first = b.receive(100, false);
    if (typeof first === 'number') throw new Error(`errno ${first}`);
    expect(text(first.data)).toBe('abcd');
    expect(first.files).toEqual([r]);
    const rest = b.receive(100, false);
    if (typeof rest === 'number') throw new Error(`errno ${rest}`);
    expect(text(rest.data)).toBe('ef');
    expect(rest.files).toEqual([]);
    w.release();
  });

  it('files still queued when the receiver closes are released (the pipe reader count drops)', () => {
    const [a, b] = createSocketPair(SOCK_STREAM, 0, me, () => me);
    const [r, w] = createPipe(0);
    a.send(new Uint8Array([1]), new Ancillary([r.retain()], me, UNNAMED), null);
    r.release();
    expect(w.write(new Uint8Array([1]))).toBe(1);
    b.release();
    // The only reference to the read end was in the queue: the writer now sees no reader.
    expect(w.write(new Uint8Array([1]))).toBe(-32);
  });

  it('a plain read() drops the files that came with the bytes', () => {
    const [a, b] = createSocketPair(SOCK_STREAM, 0, me, () => me);
    const [r, w] = createPipe(0);
    a.send(new Uint8Array([65]), new Ancillary([r], me, UNNAMED), null);
    expect(text(b.read(10) as Uint8Array)).toBe('A');
    expect(w.write(new Uint8Array([1]))).toBe(-32);
  });
});

describe('hard links in the overlay', () => {
  it('a host file linked is copied up once and both names share the copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salty-link-'));
    writeFileSync(join(dir, 'f'), 'host\n');
    const fs = new OverlayFs(dir);
    const node = fs.lstat('/f')!;
    expect(fs.link('/f', node, '/g')).toBe(0);
    const f = fs.lstat('/f')!;
    const g = fs.lstat('/g')!;
    expect(f).toBe(g);
    expect(fs.attrs(g).nlink).toBe(2);
    expect(fs.link('/f', f, '/g')).toBe(-17);
    expect(fs.unlink('/f', false)).toBe(0);
    expect(fs.attrs(g).nlink).toBe(1);
    expect(text(fs.contents(g))).toBe('host\n');
  });
});
