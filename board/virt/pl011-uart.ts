// The PL011 UART: transmit goes straight to the host, receive is a FIFO fed by
// the board, interrupts are level-sensitive (RIS & IMSC) like QEMU's model.

import type { MmioDevice } from '../memory/physical-memory';
import { IrqLine, unconnected } from './irq-line';
import { primeCellIdByte } from './primecell-id';

const enum Reg {
  DR = 0x000,
  RSR = 0x004,
  FR = 0x018,
  ILPR = 0x020,
  IBRD = 0x024,
  FBRD = 0x028,
  LCR_H = 0x02c,
  CR = 0x030,
  IFLS = 0x034,
  IMSC = 0x038,
  RIS = 0x03c,
  MIS = 0x040,
  ICR = 0x044,
  DMACR = 0x048,
}

const FR_RXFE = 1 << 4;
const FR_TXFF = 1 << 5;
const FR_RXFF = 1 << 6;
const FR_TXFE = 1 << 7;
export const INT_RX = 1 << 4;
export const INT_TX = 1 << 5;
const LCR_FEN = 1 << 4;
const FIFO_DEPTH = 16;
const PL011_ID = [0x11, 0x10, 0x14, 0x00];

export class Pl011Uart implements MmioDevice {
  readonly name = 'pl011';
  irq: IrqLine = unconnected;
  private readonly rx: number[] = [];
  private ris = 0;
  private imsc = 0;
  private cr = 0x300;
  private lcr = 0;
  private ifls = 0x12;
  private ibrd = 0;
  private fbrd = 0;
  private ilpr = 0;
  private dmacr = 0;
  private level = false;

  constructor(private readonly transmit: (byte: number) => void) {}

  /** How many received bytes the FIFO can still take (1 deep when the FIFO is disabled). */
  get receiveRoom(): number {
    return ((this.lcr & LCR_FEN) !== 0 ? FIFO_DEPTH : 1) - this.rx.length;
  }

  /** Bytes from the host's input; returns how many were taken. */
  receive(bytes: ArrayLike<number>): number {
    let n = 0;
    while (n < bytes.length && this.receiveRoom > 0) this.rx.push(bytes[n++] & 0xff);
    if (n > 0) {
      this.ris |= INT_RX;
      this.update();
    }
    return n;
  }

  read(offset: number, _size: number): number {
    switch (offset) {
      case Reg.DR:
        return this.readData();
      case Reg.RSR:
        return 0;
      case Reg.FR:
        return this.flags();
      case Reg.ILPR:
        return this.ilpr;
      case Reg.IBRD:
        return this.ibrd;
      case Reg.FBRD:
        return this.fbrd;
      case Reg.LCR_H:
        return this.lcr;
      case Reg.CR:
        return this.cr;
      case Reg.IFLS:
        return this.ifls;
      case Reg.IMSC:
        return this.imsc;
      case Reg.RIS:
        return this.ris;
      case Reg.MIS:
        return this.ris & this.imsc;
      case Reg.DMACR:
        return this.dmacr;
    }
    return primeCellIdByte(PL011_ID, offset) ?? 0;
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case Reg.DR:
        this.transmit(value & 0xff);
        this.ris |= INT_TX;
        break;
      case Reg.RSR:
        break;
      case Reg.ILPR:
        this.ilpr = value & 0xff;
        break;
      case Reg.IBRD:
        this.ibrd = value & 0xffff;
        break;
      case Reg.FBRD:
        this.fbrd = value & 0x3f;
        break;
      case Reg.LCR_H:
        // Turning the FIFO off or on empties it, as on the hardware.
        if (((value ^ this.lcr) & LCR_FEN) !== 0) this.rx.length = 0;
        this.lcr = value & 0xff;
        break;
      case Reg.CR:
        this.cr = value & 0xffff;
        break;
      case Reg.IFLS:
        this.ifls = value & 0x3f;
        break;
      case Reg.IMSC:
        this.imsc = value & 0x7ff;
        break;
      case Reg.ICR:
        this.ris &= ~value;
        break;
      case Reg.DMACR:
        this.dmacr = value & 7;
        break;
    }
    this.update();
  }

  private readData(): number {
    const c = this.rx.shift();
    if (this.rx.length === 0) this.ris &= ~INT_RX;
    this.update();
    return c ?? 0;
  }

  private flags(): number {
    let fr = FR_TXFE;
    if (this.rx.length === 0) fr |= FR_RXFE;
    if (this.receiveRoom === 0) fr |= FR_RXFF;
    return fr & ~FR_TXFF;
  }

  private update(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.level) {
      this.level = level;
      this.irq(level);
    }
  }
}
