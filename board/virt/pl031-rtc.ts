// The PL031 real-time clock: a seconds counter that starts at the host's time
// (or a fixed one for reproducible runs) and advances with the board's time,
// with a match interrupt.

import type { MmioDevice } from '../memory/physical-memory';
import { IrqLine, unconnected } from './irq-line';
import { primeCellIdByte } from './primecell-id';
import type { TimeSource } from './time-source';

const PL031_ID = [0x31, 0x10, 0x14, 0x00];
const INT_MATCH = 1;

export class Pl031Rtc implements MmioDevice {
  readonly name = 'pl031';
  irq: IrqLine = unconnected;
  private offset: number;
  private match = 0;
  private load = 0;
  private imsc = 0;
  private ris = 0;
  private level = false;
  private lastSeconds: number;

  constructor(
    private readonly time: TimeSource,
    private readonly frequency: number,
    startSeconds: number,
  ) {
    this.offset = startSeconds;
    this.lastSeconds = this.seconds();
  }

  /** RTCDR: whole seconds, 32 bits. */
  seconds(): number {
    return (this.offset + Math.floor(this.time.now() / this.frequency)) >>> 0;
  }

  read(offset: number, _size: number): number {
    switch (offset) {
      case 0x000:
        return this.seconds();
      case 0x004:
        return this.match;
      case 0x008:
        return this.load;
      case 0x00c:
        return 1; // always started
      case 0x010:
        return this.imsc;
      case 0x014:
        return this.ris;
      case 0x018:
        return this.ris & this.imsc;
    }
    return primeCellIdByte(PL031_ID, offset) ?? 0;
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case 0x004:
        this.match = value >>> 0;
        break;
      case 0x008:
        this.load = value >>> 0;
        this.offset += this.load - this.seconds();
        break;
      case 0x010:
        this.imsc = value & INT_MATCH;
        break;
      case 0x01c:
        this.ris &= ~value;
        break;
    }
    this.update();
  }

  /** Raises the match interrupt when the counter has reached MR since the last look. */
  update(): void {
    const now = this.seconds();
    if (now !== this.lastSeconds && ((this.match - this.lastSeconds) >>> 0) <= ((now - this.lastSeconds) >>> 0) && this.match !== this.lastSeconds) {
      this.ris |= INT_MATCH;
    }
    this.lastSeconds = now;
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.level) {
      this.level = level;
      this.irq(level);
    }
  }

  /** The counter tick at which the match fires next (Infinity when masked). */
  nextDeadline(): number {
    if (this.imsc === 0) return Infinity;
    const ahead = (this.match - this.seconds()) >>> 0;
    if (ahead === 0) return Infinity;
    const t = this.time.now();
    return (Math.floor(t / this.frequency) + ahead) * this.frequency;
  }
}
