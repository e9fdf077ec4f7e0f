// The GICv3 ITS where QEMU 7.2's virt puts it (0x0808_0000, two 64 KiB
// frames): GITS_CTLR, IIDR, TYPER, the device and collection GITS_BASER<n>,
// and the command queue (GITS_CBASER, CWRITER, CREADR) in guest memory, whose
// commands are processed when CWRITER is written: MAPD, MAPC, MAPTI, MAPI,
// INT, CLEAR, DISCARD, INV, INVALL, SYNC, MOVI, MOVALL. The device,
// collection and translation mappings are kept here rather than in the tables
// the guest allocated (which the GIC architecture leaves to the implementation's
// format). Collections target processor numbers (GITS_TYPER.PTA = 0).

import type { MmioDevice, PhysicalMemory } from '../memory/physical-memory';
import type { GicLpis } from './gic-lpis';

export const ITS_BASE = 0x0808_0000;
export const ITS_SIZE = 0x2_0000;

const CTLR_ENABLED = 1;
const CTLR_QUIESCENT = 1 << 31;
const IIDR = 0x0000043b;
/** Physical LPIs, 12-byte ITT entries, 16 EventID bits, 16 DeviceID bits; CIDbits 16 with CIL. */
const TYPER_LO = 1 | (0xb << 4) | (15 << 8) | (15 << 13);
const TYPER_HI = 15 | (1 << 4);
/** GITS_BASER0: device table, GITS_BASER1: collection table; 8-byte entries, 64 KiB pages. */
const BASER_RESET_HI = [(1 << 24) | (7 << 16), (4 << 24) | (7 << 16)];
const BASER_PAGE_64K = 2 << 8;
/** Type and Entry_Size are read-only. */
const BASER_RO_HI = 0x071f_0000;
const CMD_BYTES = 32;
const TWO32 = 4294967296;

interface Translation {
  lpi: number;
  icid: number;
}

export class GicIts implements MmioDevice {
  readonly name = 'gicv3-its';
  private ctlr = 0;
  private readonly cbaser = new Uint32Array(2);
  private cwriter = 0;
  private creadr = 0;
  private readonly baser = new Uint32Array(16);
  /** DeviceID -> EventID -> its LPI and collection. */
  private readonly devices = new Map<number, Map<number, Translation>>();
  /** ICID -> target processor number. */
  private readonly collections = new Map<number, number>();
  private phys: PhysicalMemory | undefined;

  constructor(
    private readonly lpis: GicLpis,
    private readonly changed: () => void,
  ) {
    for (let n = 0; n < 2; n++) {
      this.baser[2 * n] = BASER_PAGE_64K;
      this.baser[2 * n + 1] = BASER_RESET_HI[n];
    }
  }

  attach(phys: PhysicalMemory): void {
    this.phys = phys;
    this.lpis.phys = phys;
    phys.addDevice(ITS_BASE, ITS_SIZE, this);
  }

  read(offset: number, size: number): number {
    if (size !== 4) return 0;
    switch (offset) {
      case 0x00:
        return (this.ctlr | CTLR_QUIESCENT) >>> 0;
      case 0x04:
        return IIDR;
      case 0x08:
        return TYPER_LO;
      case 0x0c:
        return TYPER_HI;
      case 0x80:
      case 0x84:
        return this.cbaser[(offset - 0x80) >>> 2];
      case 0x88:
        return this.cwriter;
      case 0x90:
        return this.creadr;
      case 0xffe8:
        return 0x3b; // GITS_PIDR2: GICv3
    }
    if (offset >= 0x100 && offset < 0x140) return this.baser[(offset - 0x100) >>> 2];
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (size !== 4) return;
    if (offset === 0x00) {
      this.ctlr = value & CTLR_ENABLED;
      this.process();
    } else if (offset === 0x80 || offset === 0x84) {
      this.cbaser[(offset - 0x80) >>> 2] = value;
      // Writing GITS_CBASER resets GITS_CREADR.
      this.creadr = 0;
    } else if (offset === 0x88) {
      this.cwriter = value & 0xfffe0;
      this.process();
    } else if (offset >= 0x100 && offset < 0x140) {
      const w = (offset - 0x100) >>> 2;
      if (w >= 4) return; // only the device and collection tables exist
      this.baser[w] = (w & 1) === 0 ? value : (value & ~BASER_RO_HI) | (this.baser[w] & BASER_RO_HI);
    }
  }

  /** Runs the commands between CREADR and CWRITER, when the ITS is enabled and the queue valid. */
  private process(): void {
    const phys = this.phys;
    if ((this.ctlr & CTLR_ENABLED) === 0 || (this.cbaser[1] & 0x80000000) === 0 || phys === undefined) return;
    const base = (this.cbaser[1] & 0xfffff) * TWO32 + (this.cbaser[0] >>> 12) * 4096;
    const queueBytes = ((this.cbaser[0] & 0xff) + 1) * 4096;
    let done = 0;
    while (this.creadr !== this.cwriter && done++ < queueBytes / CMD_BYTES) {
      const at = phys.ramOffset(base + this.creadr);
      if (at >= 0) this.command(phys.view, at);
      this.creadr = (this.creadr + CMD_BYTES) % queueBytes;
    }
    this.changed();
  }

  private command(v: DataView, at: number): void {
    const word = (dw: number, hi: boolean) => v.getUint32(at + 8 * dw + (hi ? 4 : 0), true);
    const cmd = word(0, false) & 0xff;
    const deviceId = word(0, true);
    const eventId = word(1, false);
    const icid = word(2, false) & 0xffff;
    const valid = (word(2, true) & 0x80000000) !== 0;
    /** RDbase: with PTA = 0 the processor number, in bits 50:16. */
    const rd = (dw: number) => (word(dw, false) >>> 16) | ((word(dw, true) & 0x7ffff) << 16);
    switch (cmd) {
      case 0x08: // MAPD
        if (valid) this.devices.set(deviceId, this.devices.get(deviceId) ?? new Map());
        else this.devices.delete(deviceId);
        break;
      case 0x09: // MAPC
        if (valid) this.collections.set(icid, rd(2));
        else this.collections.delete(icid);
        break;
      case 0x0a: // MAPTI
      case 0x0b: // MAPI: the LPI is the EventID
        this.devices.get(deviceId)?.set(eventId, { lpi: cmd === 0x0a ? word(1, true) : eventId, icid });
        break;
      case 0x03: // INT
      case 0x04: // CLEAR
      case 0x0f: {
        // DISCARD
        const t = this.devices.get(deviceId)?.get(eventId);
        const cpu = t === undefined ? undefined : this.target(t.icid);
        if (t === undefined || cpu === undefined) break;
        this.lpis.setPending(t.lpi, cpu, cmd === 0x03);
        if (cmd === 0x0f) this.devices.get(deviceId)!.delete(eventId);
        break;
      }
      case 0x0c: {
        // INV
        const t = this.devices.get(deviceId)?.get(eventId);
        const cpu = t === undefined ? undefined : this.target(t.icid);
        if (t !== undefined && cpu !== undefined) this.lpis.invalidate(t.lpi, cpu);
        break;
      }
      case 0x0d: {
        // INVALL
        const cpu = this.target(icid);
        if (cpu !== undefined) this.lpis.invalidateAll(cpu);
        break;
      }
      case 0x01: {
        // MOVI: a pending LPI follows its new collection.
        const t = this.devices.get(deviceId)?.get(eventId);
        const from = t === undefined ? undefined : this.target(t.icid);
        const to = this.target(icid);
        if (t === undefined || from === undefined || to === undefined) break;
        if (this.lpis.isPending(t.lpi, from)) {
          this.lpis.setPending(t.lpi, from, false);
          this.lpis.setPending(t.lpi, to, true);
        }
        t.icid = icid;
        break;
      }
      case 0x0e: {
        // MOVALL
        const from = rd(2);
        const to = rd(3);
        if (from < this.lpis.cpus && to < this.lpis.cpus && from !== to) this.lpis.movePending(from, to);
        break;
      }
      // SYNC (0x05) and anything else: nothing to wait for.
    }
  }

  private target(icid: number): number | undefined {
    const cpu = this.collections.get(icid);
    return cpu !== undefined && cpu < this.lpis.cpus ? cpu : undefined;
  }
}
