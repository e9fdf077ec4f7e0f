// gdb's remote serial protocol over a DebugTarget: the packets gdb sends
// (queries, registers, memory, breakpoints, resumption) and the stop replies
// it waits for. Transport-free: bytes come in through receive() and go out
// through the `send` callback; the target runs in slices (step()) so that the
// host's event loop keeps serving the connection while the guest runs.
// Malformed packets get an error or an empty reply, never an exception.

import type { DebugTarget, StopEvent, WatchKind } from './debug-target';
import { framePacket, fromHex, MAX_PACKET, RspReader, toHex } from './rsp-framing';

const SIGTRAP = 5;
/** Signals a resumption may deliver: 1..64 (others are dropped). */
const MAX_SIGNAL = 64;
const WATCH_KINDS: Record<string, WatchKind> = { '2': 'write', '3': 'read', '4': 'access' };
const WATCH_NAMES: Record<WatchKind, string> = { write: 'watch', read: 'rwatch', access: 'awatch' };
/** The largest memory transfer answered in one m packet (in bytes; the reply is twice that in hex). */
const MAX_MEMORY = (MAX_PACKET - 16) >> 1;

export type SessionState = 'stopped' | 'running' | 'ended';

export class GdbServer {
  private readonly reader = new RspReader();
  private noAck = false;
  private lastSent: Buffer | undefined;
  /** The thread g/G/p/P/m address (Hg), and the last stop. */
  private gThread: number;
  private lastStop: StopEvent;
  state: SessionState = 'stopped';
  /** Why the session ended: 'detach', 'kill', 'exit' (the program ended). */
  endedBy: string | undefined;

  constructor(
    private readonly target: DebugTarget,
    private readonly send: (bytes: Buffer) => void,
    initialThread: number,
  ) {
    this.gThread = initialThread;
    this.lastStop = { kind: 'stop', signal: SIGTRAP, thread: initialThread };
  }

  /** Bytes from gdb. */
  receive(bytes: Uint8Array): void {
    for (const ev of this.reader.feed(bytes)) {
      if (this.state === 'ended') return;
      switch (ev.kind) {
        case 'interrupt':
          if (this.state === 'running') this.target.interrupt();
          break;
        case 'nack':
          if (this.lastSent !== undefined && !this.noAck) this.send(this.lastSent);
          break;
        case 'ack':
          break;
        case 'bad-checksum':
        case 'too-long':
          if (!this.noAck) this.send(Buffer.from('-'));
          break;
        case 'packet':
          if (!this.noAck) this.send(Buffer.from('+'));
          this.packet(Buffer.from(ev.data).toString('latin1'));
          break;
      }
    }
  }

  /** Runs the target for about ms while it is running; true when it stopped (and the reply went out). */
  step(ms: number): boolean {
    if (this.state !== 'running') return false;
    const ev = this.target.run(ms);
    if (ev === undefined) return false;
    this.reportStop(ev);
    return true;
  }

  /** gdb went away: whatever the target was doing, it runs on freely. */
  disconnected(): void {
    if (this.state === 'ended') return;
    this.target.detach();
    this.end('disconnect');
  }

  private end(why: string): void {
    this.state = 'ended';
    this.endedBy = why;
  }

  private reply(text: string | Uint8Array): void {
    const frame = framePacket(text);
    this.lastSent = frame;
    this.send(frame);
  }

  private reportStop(ev: StopEvent): void {
    this.lastStop = ev;
    if (ev.kind === 'stop') {
      this.state = 'stopped';
      this.gThread = ev.thread;
    } else this.end('exit');
    this.reply(this.stopReply(ev));
  }

  private stopReply(ev: StopEvent): string {
    if (ev.kind === 'exited') return `W${hex2(ev.status & 0xff)}`;
    if (ev.kind === 'terminated') return `X${hex2(ev.signal)}`;
    const watch = ev.watch === undefined ? '' : `${WATCH_NAMES[ev.watch.kind]}:${addrHex(ev.watch.addr)};`;
    return `T${hex2(ev.signal)}${watch}thread:${this.threadId(ev.thread)};`;
  }

  private threadId(tid: number): string {
    return `p${this.target.pid.toString(16)}.${tid.toString(16)}`;
  }

  // ---- packets ----

  private packet(p: string): void {
    try {
      const r = this.answer(p);
      if (r !== null) this.reply(r);
    } catch (e) {
      // A target that throws on a request gdb may send is a bug: say so, and keep serving.
      process.stderr.write(`salty: gdb stub: ${p.slice(0, 40)}: ${(e as Error).message}\n`);
      this.reply('E01');
    }
  }

  /** The reply, or null when there is none now (a resumption answers with its stop later). */
  private answer(p: string): string | Uint8Array | null {
    if (this.state === 'running') return null;
    const c = p[0];
    const rest = p.slice(1);
    switch (c) {
      case '?':
        return this.stopReply(this.lastStop);
      case 'q':
      case 'Q':
        return this.query(p);
      case 'v':
        return this.vPacket(p);
      case 'H':
        return this.setThread(rest);
      case 'T':
        return this.thread(rest) !== undefined && this.target.threads().some((t) => t.id === this.thread(rest)) ? 'OK' : 'E01';
      case 'g':
        return this.readAllRegisters();
      case 'G':
        return this.writeAllRegisters(rest);
      case 'p':
        return this.readRegister(rest);
      case 'P':
        return this.writeRegister(rest);
      case 'm':
        return this.readMemory(rest);
      case 'M':
        return this.writeMemory(rest, false);
      case 'X':
        return this.writeMemory(rest, true);
      case 'Z':
      case 'z':
        return this.breakpoint(c === 'Z', rest);
      case 'c':
      case 's':
        return this.resume(c === 's' ? this.gThread : undefined, 0, rest);
      case 'C':
      case 'S': {
        const [sig, addr] = rest.split(';');
        return this.resume(c === 'S' ? this.gThread : undefined, parseInt(sig, 16) || 0, addr ?? '');
      }
      case 'D':
        this.target.detach();
        this.reply('OK');
        this.end('detach');
        return null;
      case 'k':
        this.target.kill();
        this.end('kill');
        return null;
      default:
        return '';
    }
  }

  private query(p: string): string | Uint8Array | null {
    if (p.startsWith('qSupported')) {
      const exec = this.target.execFile?.() !== undefined ? ';qXfer:exec-file:read+' : '';
      const auxv = this.target.auxv?.() !== undefined ? ';qXfer:auxv:read+' : '';
      return `PacketSize=${MAX_PACKET.toString(16)};qXfer:features:read+;qXfer:threads:read+${exec}${auxv};QStartNoAckMode+;multiprocess+;vContSupported+`;
    }
    if (p === 'QStartNoAckMode') {
      this.reply('OK');
      this.noAck = true;
      return null;
    }
    if (p.startsWith('qXfer:')) return this.transfer(p);
    if (p === 'qfThreadInfo') return 'm' + this.target.threads().map((t) => this.threadId(t.id)).join(',');
    if (p === 'qsThreadInfo') return 'l';
    if (p === 'qC') return `QC${this.threadId(this.gThread)}`;
    if (p.startsWith('qAttached')) return '0';
    if (p === 'qOffsets') return 'Text=0000000000000000;Data=0000000000000000;Bss=0000000000000000';
    if (p.startsWith('qSymbol')) return 'OK';
    return '';
  }

  /** qXfer:object:read:annex:offset,length, answered m (more) or l (last) with the slice. */
  private transfer(p: string): string | Uint8Array {
    const m = /^qXfer:([a-z-]+):read:([^:]*):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(p);
    if (m === null) return '';
    let doc: string | Uint8Array | undefined;
    if (m[1] === 'features') doc = this.target.description.get(m[2]);
    else if (m[1] === 'threads') doc = this.threadsXml();
    else if (m[1] === 'exec-file') doc = this.target.execFile?.();
    else if (m[1] === 'auxv') doc = this.target.auxv?.();
    else return '';
    if (doc === undefined) return 'E00';
    const data = typeof doc === 'string' ? Buffer.from(doc, 'utf8') : Buffer.from(doc);
    const off = parseInt(m[3], 16);
    const len = Math.min(parseInt(m[4], 16), MAX_PACKET - 8);
    if (off > data.length) return 'E01';
    const part = data.subarray(off, off + len);
    return Buffer.concat([Buffer.from(off + len >= data.length ? 'l' : 'm'), part]);
  }

  private threadsXml(): string {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    const rows = this.target.threads().map((t) => `<thread id="${this.threadId(t.id)}" core="0"${t.name === undefined ? '' : ` name="${esc(t.name)}"`}/>`);
    return `<?xml version="1.0"?>\n<threads>\n${rows.join('\n')}\n</threads>\n`;
  }

  /** A thread id as gdb writes it (pPID.TID or TID, hex; -1 all, 0 any): the tid, -1, 0, or undefined when malformed. */
  private thread(text: string): number | undefined {
    const t = text.startsWith('p') ? text.slice(text.indexOf('.') + 1) : text;
    if (text.startsWith('p') && !text.includes('.')) return -1;
    if (t === '-1') return -1;
    if (!/^[0-9a-fA-F]{1,8}$/.test(t)) return undefined;
    return parseInt(t, 16);
  }

  private setThread(rest: string): string {
    const id = this.thread(rest.slice(1));
    if (id === undefined) return 'E01';
    if (rest[0] === 'g' && id > 0) {
      if (!this.target.threads().some((t) => t.id === id)) return 'E01';
      this.gThread = id;
    }
    return 'OK';
  }

  // ---- registers ----

  private readAllRegisters(): string {
    let out = '';
    for (let n = 0; n < this.target.gCount; n++) {
      const r = this.target.readRegister(this.gThread, n);
      if (r === undefined) return 'E01';
      out += toHex(r);
    }
    return out;
  }

  private writeAllRegisters(hex: string): string {
    const bytes = fromHex(hex);
    if (bytes === undefined) return 'E01';
    let at = 0;
    for (let n = 0; n < this.target.gCount && at < bytes.length; n++) {
      const size = this.target.readRegister(this.gThread, n)?.length ?? 0;
      if (at + size > bytes.length) return 'E01';
      if (!this.target.writeRegister(this.gThread, n, bytes.subarray(at, at + size))) return 'E01';
      at += size;
    }
    return 'OK';
  }

  private readRegister(rest: string): string {
    const n = parseHexNumber(rest);
    const r = n === undefined ? undefined : this.target.readRegister(this.gThread, n);
    return r === undefined ? 'E01' : toHex(r);
  }

  private writeRegister(rest: string): string {
    const [num, value] = rest.split('=');
    const n = parseHexNumber(num);
    const bytes = value === undefined ? undefined : fromHex(value);
    if (n === undefined || bytes === undefined) return 'E01';
    return this.target.writeRegister(this.gThread, n, bytes) ? 'OK' : 'E01';
  }

  // ---- memory ----

  private readMemory(rest: string): string {
    const [a, l] = rest.split(',');
    const addr = parseAddress(a);
    const len = parseHexNumber(l ?? '');
    if (addr === undefined || len === undefined) return 'E01';
    if (len === 0) return '';
    const data = this.target.readMemory(addr, Math.min(len, MAX_MEMORY));
    return data.length === 0 ? 'E14' : toHex(data);
  }

  private writeMemory(rest: string, binary: boolean): string {
    const colon = rest.indexOf(':');
    if (colon < 0) return 'E01';
    const [a, l] = rest.slice(0, colon).split(',');
    const addr = parseAddress(a);
    const len = parseHexNumber(l ?? '');
    const payload = rest.slice(colon + 1);
    const bytes = binary ? Uint8Array.from(Buffer.from(payload, 'latin1')) : fromHex(payload);
    if (addr === undefined || len === undefined || bytes === undefined || bytes.length !== len) return 'E01';
    if (len === 0) return 'OK';
    return this.target.writeMemory(addr, bytes) ? 'OK' : 'E14';
  }

  private breakpoint(insert: boolean, rest: string): string {
    const [type, a, k] = rest.split(',');
    const addr = parseAddress(a ?? '');
    const len = parseHexNumber((k ?? '').split(';')[0]);
    if (addr === undefined || len === undefined) return 'E01';
    if (type === '0' || type === '1') {
      return (insert ? this.target.insertBreakpoint(addr) : this.target.removeBreakpoint(addr)) ? 'OK' : 'E01';
    }
    const kind = WATCH_KINDS[type];
    if (kind === undefined) return '';
    if (len === 0 || len > 4096) return 'E01';
    return (insert ? this.target.insertWatchpoint(addr, len, kind) : this.target.removeWatchpoint(addr, len, kind)) ? 'OK' : 'E01';
  }

  // ---- resumption ----

  /** c/s/C/S: addr (if any) is where to resume. */
  private resume(step: number | undefined, signal: number, addr: string): string | null {
    if (addr !== '') {
      const a = parseAddress(addr);
      if (a === undefined) return 'E01';
      const pc = Buffer.alloc(8);
      pc.writeBigUInt64LE(BigInt.asUintN(64, BigInt(a)));
      // The pc's number is the one after the stack pointer on every arch we describe (aarch64: 32).
      this.target.writeRegister(this.gThread, 32, pc);
    }
    const signals = new Map<number, number>();
    if (signal > 0 && signal <= MAX_SIGNAL) signals.set(this.gThread, signal);
    this.target.resume({ step, signals });
    this.state = 'running';
    return null;
  }

  private vPacket(p: string): string | null {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p === 'vMustReplyEmpty') return '';
    if (p.startsWith('vKill')) {
      this.target.kill();
      this.reply('OK');
      this.end('kill');
      return null;
    }
    if (!p.startsWith('vCont;')) return '';
    let step: number | undefined;
    const signals = new Map<number, number>();
    for (const action of p.slice(6).split(';')) {
      const [what, tid] = action.split(':');
      const id = tid === undefined ? -1 : this.thread(tid);
      if (id === undefined) return 'E01';
      const sig = what.length > 1 ? parseInt(what.slice(1), 16) : 0;
      if (what[0] === 's' || what[0] === 'S') {
        if (step !== undefined) continue;
        step = id > 0 ? id : this.gThread;
      } else if (what[0] !== 'c' && what[0] !== 'C') return 'E01';
      if (sig > 0 && sig <= MAX_SIGNAL) signals.set(id > 0 ? id : this.gThread, sig);
    }
    this.target.resume({ step, signals });
    this.state = 'running';
    return null;
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** An address in stop replies: the 64-bit pattern in hex. */
function addrHex(a: number): string {
  return BigInt.asUintN(64, BigInt(a)).toString(16);
}

function parseHexNumber(text: string): number | undefined {
  if (!/^[0-9a-fA-F]{1,8}$/.test(text)) return undefined;
  return parseInt(text, 16);
}

/** A 64-bit address as the signed number the emulator uses (kernel addresses are negative). */
function parseAddress(text: string): number | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  return Number(BigInt.asIntN(64, BigInt('0x' + text)));
}
