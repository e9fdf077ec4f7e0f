// CLOCK_REALTIME as emulated state: the host's wall clock at boot advanced
// by kernel time, plus the offset clock_settime and settimeofday give it,
// plus the NTP state adjtimex keeps (status bits, and the leap second it
// schedules: with STA_INS the last second of the UTC day is played twice,
// with STA_DEL it is skipped, as Linux's second_overflow does). The host's
// clock is never touched.

import type { LinuxSystem } from './linux-system';

export const TIME_OK = 0;
export const TIME_INS = 1;
export const TIME_DEL = 2;
export const TIME_OOP = 3;
export const TIME_WAIT = 4;
export const STA_INS = 0x10;
export const STA_DEL = 0x20;
export const STA_UNSYNC = 0x40;
const DAY_S = 86400;

export interface NtpState {
  /** Added to the raw wall clock (ms): clock_settime's changes and leap seconds. */
  offsetMs: number;
  /** Times the clock was set (timerfd's TFD_TIMER_CANCEL_ON_SET watches it). */
  sets: number;
  status: number;
  state: number;
  /** The UTC second at which the scheduled leap happens (Infinity: none). */
  nextLeapSec: number;
  tai: number;
  /** adjtimex's other fields, kept as set: offset (ns), freq (scaled ppm), maxerror, esterror, constant, tick. */
  offset: number;
  freq: number;
  maxerror: number;
  esterror: number;
  constant: number;
  tick: number;
}

const states = new WeakMap<LinuxSystem, NtpState>();

/** NTP_PHASE_LIMIT in us: the error bounds of an unsynchronized clock. */
export const PHASE_LIMIT_US = 16_000_000;

export function ntpOf(sys: LinuxSystem): NtpState {
  let s = states.get(sys);
  if (!s) {
    s = { offsetMs: 0, sets: 0, status: STA_UNSYNC, state: TIME_OK, nextLeapSec: Infinity, tai: 0, offset: 0, freq: 0, maxerror: PHASE_LIMIT_US, esterror: PHASE_LIMIT_US, constant: 2, tick: 10000 };
    states.set(sys, s);
  }
  return s;
}

/** The next midnight (UTC) after second sec. */
const nextMidnight = (sec: number): number => sec + DAY_S - (((sec % DAY_S) + DAY_S) % DAY_S);

/** Moves the leap state machine up to wall time ms (without its offset applied yet); answers the offset to use. */
function advance(s: NtpState, rawMs: number): void {
  const sec = Math.floor((rawMs + s.offsetMs) / 1000);
  switch (s.state) {
    case TIME_OK:
      if (s.status & STA_INS) [s.state, s.nextLeapSec] = [TIME_INS, nextMidnight(sec)];
      else if (s.status & STA_DEL) [s.state, s.nextLeapSec] = [TIME_DEL, nextMidnight(sec + 1)];
      break;
    case TIME_INS:
      if (!(s.status & STA_INS)) [s.state, s.nextLeapSec] = [TIME_OK, Infinity];
      else if (sec >= s.nextLeapSec) {
        // 23:59:60 reads as a second 23:59:59.
        s.offsetMs -= 1000;
        s.tai++;
        s.state = TIME_OOP;
      }
      break;
    case TIME_DEL:
      if (!(s.status & STA_DEL)) [s.state, s.nextLeapSec] = [TIME_OK, Infinity];
      else if (sec >= s.nextLeapSec - 1) {
        s.offsetMs += 1000;
        s.tai--;
        [s.state, s.nextLeapSec] = [TIME_WAIT, Infinity];
      }
      break;
    case TIME_OOP:
      if (sec >= s.nextLeapSec) [s.state, s.nextLeapSec] = [TIME_WAIT, Infinity];
      break;
    case TIME_WAIT:
      if (!(s.status & (STA_INS | STA_DEL))) s.state = TIME_OK;
      break;
  }
}

/** CLOCK_REALTIME in ms for a raw wall time (the host's clock at boot plus kernel time). */
export function wallClock(sys: LinuxSystem, rawMs: number): number {
  const s = states.get(sys);
  if (!s) return rawMs;
  for (let i = 0; i < 3; i++) {
    const before = s.state;
    advance(s, rawMs);
    if (s.state === before) break;
  }
  return rawMs + s.offsetMs;
}

/** clock_settime / settimeofday: CLOCK_REALTIME reads ms from now on. */
export function setWall(sys: LinuxSystem, ms: number): void {
  const s = ntpOf(sys);
  s.offsetMs += ms - sys.wallNow();
  s.sets++;
}

/** How many times CLOCK_REALTIME has been set. */
export const clockSets = (sys: LinuxSystem): number => states.get(sys)?.sets ?? 0;
