// The GICv3 ITS where QEMU 7.2's virt puts it (0x0808_0000, two 64 KiB
// frames): GITS_CTLR, IIDR, TYPER, the device and collection GITS_BASER<n>,
// the command queue (GITS_CBASER, CWRITER, CREADR) in guest memory, whose
// commands are processed when CWRITER is written (MAPD, MAPC, MAPTI, MAPI,
// INT, CLEAR, DISCARD, INV, INVALL, SYNC, MOVI, MOVALL), and GITS_TRANSLATER,
// which a device's MSI write reaches with its DeviceID (a CPU's write has
// DeviceID 0, as in QEMU). The device, collection and translation tables live
// in the guest memory GITS_BASER0/1 and each MAPD name, in QEMU's entry
// formats (its-tables.ts). A command with an ID out of range, or naming an
// invalid entry, is ignored as QEMU ignores it. Collections target processor
// numbers (GITS_TYPER.PTA = 0).

import type { MmioDevice, PhysicalMemory } from '../memory/physical-memory';
import type { GicLpis } from './gic-lpis';
import { decodeDte, type DeviceEntry, encodeDte, ITE_SIZE, ItsMemory, readIte, type TableParams, tableParams, type TranslationEntry, writeIte } from './its-tables';

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

const TRANSLATER = 0x1_0040;
/** DeviceID, EventID and collection ID widths (GITS_TYPER). */
const DEVICE_BITS = 16;
const EVENT_BITS = 16;
const COLLECTION_BITS = 16;
/** GICD_TYPER.IDbits + 1: the LPI INTIDs MAPTI may name. */
const INTID_LIMIT = 1 << 16;
const FIRST_LPI = 8192;

/** What a command names, found through the tables: the ITE's address, its LPI and the target CPU. */
interface Found {
  readonly itePa: number;
  readonly ite: TranslationEntry;
  readonly cpu: number;
}

export class GicIts implements MmioDevice {
  readonly name = 'gicv3-its';
  private ctlr = 0;
  private readonly cbaser = new Uint32Array(2);
  private cwriter = 0;
  private creadr = 0;
  private readonly baser = new Uint32Array(16);
  private phys: PhysicalMemory | undefined;
  private mem: ItsMemory | undefined;

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
    this.mem = new ItsMemory(phys);
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
    if (offset === TRANSLATER && (size === 2 || size === 4)) return this.writeMsi(offset, value, 0);
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

  /** A message to GITS_TRANSLATER from the device `deviceId`: the event's LPI becomes pending (while the ITS is enabled). */
  writeMsi(offset: number, eventId: number, deviceId: number): void {
    if (offset !== TRANSLATER || (this.ctlr & CTLR_ENABLED) === 0) return;
    const f = this.find(deviceId, eventId >>> 0);
    if (f !== undefined) {
      this.lpis.setPending(f.ite.intid, f.cpu, true);
      this.changed();
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

  private get deviceTable(): TableParams {
    return tableParams(this.baser[0], this.baser[1], DEVICE_BITS);
  }

  private get collectionTable(): TableParams {
    return tableParams(this.baser[2], this.baser[3], COLLECTION_BITS);
  }

  private dteAddress(deviceId: number): number {
    const t = this.deviceTable;
    return deviceId < t.entries ? this.mem!.entryAddress(t, deviceId) : -1;
  }

  private cteAddress(icid: number): number {
    const t = this.collectionTable;
    return icid < t.entries ? this.mem!.entryAddress(t, icid) : -1;
  }

  /** The device's table entry, or an invalid one. */
  private device(deviceId: number): DeviceEntry {
    const pa = this.dteAddress(deviceId);
    return decodeDte(pa < 0 ? undefined : this.mem!.read64(pa));
  }

  /** The target CPU of a collection, when its entry is valid. */
  private target(icid: number): number | undefined {
    const pa = this.cteAddress(icid);
    const v = pa < 0 ? undefined : this.mem!.read32(pa);
    if (v === undefined || (v & 1) === 0) return undefined;
    const cpu = (v >>> 1) & 0xffff;
    return cpu < this.lpis.cpus ? cpu : undefined;
  }

  /** DeviceID + EventID through the device table, the ITT and the collection table. */
  private find(deviceId: number, eventId: number): Found | undefined {
    const dte = this.device(deviceId);
    if (!dte.valid || eventId >= 2 ** (dte.size + 1)) return undefined;
    const itePa = dte.itt + eventId * ITE_SIZE;
    const ite = readIte(this.mem!, itePa);
    if (!ite.valid) return undefined;
    const cpu = this.target(ite.icid);
    return cpu === undefined ? undefined : { itePa, ite, cpu };
  }

  private command(v: DataView, at: number): void {
    const word = (dw: number, hi: boolean) => v.getUint32(at + 8 * dw + (hi ? 4 : 0), true);
    const cmd = word(0, false) & 0xff;
    const deviceId = word(0, true);
    const eventId = word(1, false);
    const icid = word(2, false) & 0xffff;
    const valid = (word(2, true) & 0x80000000) !== 0;
    const mem = this.mem!;
    /** RDbase: with PTA = 0 the processor number, in bits 50:16. */
    const rd = (dw: number) => (word(dw, false) >>> 16) | ((word(dw, true) & 0x7ffff) << 16);
    switch (cmd) {
      case 0x08: {
        // MAPD: size in dword 1 bits 4:0, ITT address in dword 2 bits 51:8
        const pa = this.dteAddress(deviceId);
        const size = word(1, false) & 0x1f;
        if (pa < 0 || size >= EVENT_BITS) break;
        const itt = (word(2, true) & 0xfffff) * TWO32 + ((word(2, false) & 0xffffff00) >>> 0);
        mem.write64(pa, valid ? encodeDte({ valid: true, size, itt }) : 0);
        break;
      }
      case 0x09: {
        // MAPC
        const pa = this.cteAddress(icid);
        const cpu = rd(2);
        if (pa < 0 || (valid && cpu >= this.lpis.cpus)) break;
        mem.write64(pa, valid ? 1 + cpu * 2 : 0);
        break;
      }
      case 0x0a: // MAPTI
      case 0x0b: {
        // MAPI: the LPI is the EventID
        const intid = cmd === 0x0a ? word(1, true) : eventId;
        const dte = this.device(deviceId);
        if (!dte.valid || eventId >= 2 ** (dte.size + 1) || icid >= this.collectionTable.entries) break;
        if (intid < FIRST_LPI || intid >= INTID_LIMIT) break;
        writeIte(mem, dte.itt + eventId * ITE_SIZE, { valid: true, intid, icid });
        break;
      }
      case 0x03: // INT
      case 0x04: // CLEAR
      case 0x0f: {
        // DISCARD
        const f = this.find(deviceId, eventId);
        if (f === undefined) break;
        this.lpis.setPending(f.ite.intid, f.cpu, cmd === 0x03);
        if (cmd === 0x0f) writeIte(mem, f.itePa, { valid: false, intid: 0, icid: 0 });
        break;
      }
      case 0x0c: {
        // INV
        const f = this.find(deviceId, eventId);
        if (f !== undefined) this.lpis.invalidate(f.ite.intid, f.cpu);
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
        const f = this.find(deviceId, eventId);
        const to = this.target(icid);
        if (f === undefined || to === undefined) break;
        if (this.lpis.isPending(f.ite.intid, f.cpu)) {
          this.lpis.setPending(f.ite.intid, f.cpu, false);
          this.lpis.setPending(f.ite.intid, to, true);
        }
        writeIte(mem, f.itePa, { valid: true, intid: f.ite.intid, icid });
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
}
