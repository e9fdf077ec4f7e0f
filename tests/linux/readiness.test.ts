// The readiness interface (kernel/vfs/readiness.ts) from the side of a file
// type that knows nothing of epoll: a file implementing only pollIn, pollOut
// and readyAt works in an epoll instance, level- and edge-triggered, as a
// socket type added later would.

import { describe, expect, it } from 'vitest';
import { EpollFile, EPOLLET, EPOLLONESHOT } from '../../kernel/vfs/epoll';
import type { Attributes } from '../../kernel/vfs/node';
import { OpenFile } from '../../kernel/vfs/open-file';
import { POLLHUP, POLLIN, POLLOUT } from '../../kernel/vfs/readiness';

/** A file with nothing but the two readiness answers (and a time it becomes readable). */
class PlainFile extends OpenFile {
  inReady = false;
  outReady = false;
  due: number | undefined;
  constructor() {
    super('plain', 2);
  }
  read(): number {
    return -11;
  }
  write(): number {
    return -11;
  }
  attrs(): Attributes {
    return { kind: 'sock', perm: 0o777, size: 0, ino: 1, nlink: 1, rdev: 0, mtimeMs: 0, atimeMs: 0, ctimeMs: 0 };
  }
  override pollIn(): boolean {
    return this.inReady;
  }
  override pollOut(): boolean {
    return this.outReady;
  }
  override readyAt(): number | undefined {
    return this.due;
  }
}

const ev = (events: number, lo: number) => ({ events, lo, hi: 0 });
const ids = (ep: EpollFile, max = 8) => ep.collect(max).map((e) => [e.lo, e.events]);

describe('a file with only pollIn and pollOut under epoll', () => {
  it('level-triggered: reported while ready, with the bits asked for', () => {
    const f = new PlainFile();
    const ep = new EpollFile(0);
    ep.add(3, f, ev(POLLIN, 7));
    expect(ids(ep)).toEqual([]);
    f.inReady = true;
    f.outReady = true;
    expect(ids(ep)).toEqual([[7, POLLIN]]);
    expect(ids(ep)).toEqual([[7, POLLIN]]);
    f.inReady = false;
    expect(ids(ep)).toEqual([]);
  });

  it('edge-triggered without edge counts: once per rising edge', () => {
    const f = new PlainFile();
    const ep = new EpollFile(0);
    ep.add(3, f, ev(POLLIN | POLLOUT | EPOLLET, 1));
    f.inReady = true;
    expect(ids(ep)).toEqual([[1, POLLIN]]);
    expect(ids(ep)).toEqual([]);
    f.outReady = true;
    expect(ids(ep)).toEqual([[1, POLLIN | POLLOUT]]);
    f.inReady = false;
    expect(ids(ep)).toEqual([]);
    f.inReady = true;
    expect(ids(ep)).toEqual([[1, POLLIN | POLLOUT]]);
  });

  it('one-shot until EPOLL_CTL_MOD, and gone once the file is closed', () => {
    const f = new PlainFile();
    const ep = new EpollFile(0);
    f.inReady = true;
    ep.add(3, f, ev(POLLIN | EPOLLONESHOT, 2));
    expect(ids(ep)).toEqual([[2, POLLIN]]);
    expect(ids(ep)).toEqual([]);
    ep.modify(3, f, ev(POLLIN, 4));
    expect(ids(ep)).toEqual([[4, POLLIN]]);
    f.release();
    expect(ids(ep)).toEqual([]);
    expect(ep.has(3, f)).toBe(false);
  });

  it('nested: the outer instance is readable while the inner has something, and a timer inside sets its deadline', () => {
    const f = new PlainFile();
    const inner = new EpollFile(0);
    const outer = new EpollFile(0);
    inner.add(3, f, ev(POLLIN, 5));
    outer.add(4, inner, ev(POLLIN, 6));
    f.due = 1234;
    expect(outer.readyAt()).toBe(1234);
    expect(ids(outer)).toEqual([]);
    f.inReady = true;
    expect(ids(outer)).toEqual([[6, POLLIN]]);
    expect(outer.reaches(inner)).toBe(true);
    expect(inner.reaches(outer)).toBe(false);
  });

  it('errors and hang-ups are reported though nobody asked: a pollEvents override is enough', () => {
    class HangingFile extends PlainFile {
      override pollEvents(): number {
        return super.pollEvents() | POLLHUP;
      }
    }
    const ep = new EpollFile(0);
    ep.add(3, new HangingFile(), ev(POLLOUT, 9));
    expect(ids(ep)).toEqual([[9, POLLHUP]]);
  });
});
