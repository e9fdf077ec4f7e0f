// The framing of gdb's remote serial protocol: `$data#cs` packets with a
// two-hex-digit modulo-256 checksum, `+`/`-` acknowledgements, a lone 0x03
// byte for an interrupt, `}` escapes (byte XOR 0x20) and `*` run-length
// encoding. The reader takes bytes as they come and never throws: a bad
// checksum is reported (the server answers `-`), an over-long packet is
// dropped, and stray bytes between packets are ignored.

export type RspEvent =
  | { readonly kind: 'packet'; readonly data: Uint8Array }
  | { readonly kind: 'bad-checksum' }
  | { readonly kind: 'too-long' }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack' };

/** The largest packet body taken (gdb sends at most the PacketSize we announce). */
export const MAX_PACKET = 0x4000;

const enum State {
  Idle,
  Body,
  Escape,
  RunCount,
  Sum1,
  Sum2,
}

export class RspReader {
  private state = State.Idle;
  private body: number[] = [];
  private sum = 0;
  private given = 0;
  private overflow = false;

  /** Feeds received bytes; returns what they complete, in order. */
  feed(bytes: Uint8Array): RspEvent[] {
    const out: RspEvent[] = [];
    for (const b of bytes) this.byte(b, out);
    return out;
  }

  private byte(b: number, out: RspEvent[]): void {
    switch (this.state) {
      case State.Idle:
        if (b === 0x24) this.start();
        else if (b === 0x03) out.push({ kind: 'interrupt' });
        else if (b === 0x2b) out.push({ kind: 'ack' });
        else if (b === 0x2d) out.push({ kind: 'nack' });
        return;
      case State.Body:
        this.sum = (this.sum + b) & 0xff;
        if (b === 0x23) {
          this.sum = (this.sum - b) & 0xff;
          this.state = State.Sum1;
        } else if (b === 0x24) this.start();
        else if (b === 0x7d) this.state = State.Escape;
        else if (b === 0x2a && this.body.length > 0) this.state = State.RunCount;
        else this.push(b);
        return;
      case State.RunCount: {
        // `x*n`: x repeated n - 29 more times (n is printable, 0x20..0x7e); escaped bytes are never counts.
        this.sum = (this.sum + b) & 0xff;
        const last = this.body[this.body.length - 1];
        for (let k = 0; k < b - 29; k++) this.push(last);
        this.state = State.Body;
        return;
      }
      case State.Escape:
        this.sum = (this.sum + b) & 0xff;
        this.push(b ^ 0x20);
        this.state = State.Body;
        return;
      case State.Sum1:
        this.given = hexDigit(b) << 4;
        this.state = hexDigit(b) < 0 ? State.Idle : State.Sum2;
        if (this.state === State.Idle) out.push({ kind: 'bad-checksum' });
        return;
      case State.Sum2: {
        this.state = State.Idle;
        const d = hexDigit(b);
        if (d < 0 || (this.given | d) !== this.sum) out.push({ kind: 'bad-checksum' });
        else if (this.overflow) out.push({ kind: 'too-long' });
        else out.push({ kind: 'packet', data: Uint8Array.from(this.body) });
        this.body = [];
        return;
      }
    }
  }

  private start(): void {
    this.state = State.Body;
    this.body = [];
    this.sum = 0;
    this.overflow = false;
  }

  private push(b: number): void {
    if (this.body.length >= MAX_PACKET) this.overflow = true;
    else this.body.push(b);
  }
}

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}

/** A packet ready to send: `$`, the escaped body, `#` and the checksum. */
export function framePacket(data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const out: number[] = [0x24];
  let sum = 0;
  for (const b of body) {
    if (b === 0x23 || b === 0x24 || b === 0x7d || b === 0x2a) {
      out.push(0x7d, b ^ 0x20);
      sum += 0x7d + (b ^ 0x20);
    } else {
      out.push(b);
      sum += b;
    }
  }
  out.push(0x23, ...Buffer.from((sum & 0xff).toString(16).padStart(2, '0'), 'latin1'));
  return Buffer.from(out);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Hex digits to bytes; undefined unless the text is an even number of hex digits. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text, 'hex'));
}
