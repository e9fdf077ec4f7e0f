// The storage behind a virtio-blk device. The board only sees this interface;
// the CLI supplies a file (tools/cli/drive-file.ts), tests an array.

export interface BlockBackend {
  /** Size in bytes. */
  readonly size: number;
  readonly readOnly: boolean;
  /** Fills `dst` from byte `offset`; false on a host I/O error. */
  read(offset: number, dst: Uint8Array): boolean;
  /** Writes `src` at byte `offset`; false on a host I/O error. */
  write(offset: number, src: Uint8Array): boolean;
  /** Makes earlier writes durable; false on a host I/O error. */
  flush(): boolean;
}

/** A disk held in memory (tests, and the copy-on-write layer of snapshot=on). */
export class MemoryBackend implements BlockBackend {
  flushes = 0;
  constructor(readonly bytes: Uint8Array, readonly readOnly = false) {}

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, dst: Uint8Array): boolean {
    dst.set(this.bytes.subarray(offset, offset + dst.length));
    return true;
  }

  write(offset: number, src: Uint8Array): boolean {
    this.bytes.set(src, offset);
    return true;
  }

  flush(): boolean {
    this.flushes++;
    return true;
  }
}

const CHUNK = 4096;

/**
 * snapshot=on: reads come from `base` until a chunk is written; written chunks
 * stay in memory, so the image is left unchanged, as QEMU's temporary overlay.
 */
export class SnapshotBackend implements BlockBackend {
  readonly readOnly = false;
  private readonly chunks = new Map<number, Uint8Array>();

  constructor(private readonly base: BlockBackend) {}

  get size(): number {
    return this.base.size;
  }

  private chunk(i: number, fill: boolean): Uint8Array | undefined {
    let c = this.chunks.get(i);
    if (c === undefined && fill) {
      c = new Uint8Array(CHUNK);
      const start = i * CHUNK;
      if (!this.base.read(start, c.subarray(0, Math.min(CHUNK, this.size - start)))) return undefined;
      this.chunks.set(i, c);
    }
    return c;
  }

  read(offset: number, dst: Uint8Array): boolean {
    let done = 0;
    while (done < dst.length) {
      const pos = offset + done;
      const i = Math.floor(pos / CHUNK);
      const within = pos - i * CHUNK;
      const n = Math.min(CHUNK - within, dst.length - done);
      const c = this.chunk(i, false);
      if (c !== undefined) dst.set(c.subarray(within, within + n), done);
      else if (!this.base.read(pos, dst.subarray(done, done + n))) return false;
      done += n;
    }
    return true;
  }

  write(offset: number, src: Uint8Array): boolean {
    let done = 0;
    while (done < src.length) {
      const pos = offset + done;
      const i = Math.floor(pos / CHUNK);
      const within = pos - i * CHUNK;
      const n = Math.min(CHUNK - within, src.length - done);
      const c = this.chunk(i, true);
      if (c === undefined) return false;
      c.set(src.subarray(done, done + n), within);
      done += n;
    }
    return true;
  }

  flush(): boolean {
    return true;
  }
}
