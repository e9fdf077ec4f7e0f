// Setting the time: clock_settime, settimeofday, adjtimex and clock_adjtime
// on CLOCK_REALTIME, which salty keeps as emulated state (wall-clock.ts):
// the host's clock is never changed. CAP_SYS_TIME is needed (EPERM), with
// Linux's argument checks (kernel/time/time.c, timekeeping.c, ntp.c).

import { CLOCK_REALTIME } from './clocks';
import { EFAULT, EINVAL, EPERM } from './errno';
import type { Call, Syscall } from './syscall-context';
import { encodeU64s } from './syscall-context';
import { ntpOf, setWall, STA_UNSYNC, TIME_OK } from './wall-clock';

const CAP_SYS_TIME = 25;
/** The latest second settimeofday accepts (TIME_SETTOD_SEC_MAX, 64-bit). */
const SETTOD_SEC_MAX = 9223372036 - 30 * 365 * 86400;

const TWO32 = 4294967296;

function readI64(v: DataView, at: number): number {
  return v.getInt32(at + 4, true) * TWO32 + v.getUint32(at, true);
}

/** Sets CLOCK_REALTIME to sec s + nsec ns after the checks every setter shares. */
function settime(c: Call, sec: number, nsec: number): number {
  if (sec < 0 || nsec < 0 || nsec >= 1e9 || sec > SETTOD_SEC_MAX) return -EINVAL;
  if (!c.p.creds.capable(CAP_SYS_TIME)) return -EPERM;
  setWall(c.sys, sec * 1000 + nsec / 1e6);
  return 0;
}

const clockSettime: Syscall = (c) => {
  const id = c.int(0);
  // Only CLOCK_REALTIME can be set; every other clock (or an unknown id) is EINVAL.
  if (id !== CLOCK_REALTIME) return -EINVAL;
  const v = new DataView(c.user.read(c.a[1], 16).buffer);
  return settime(c, readI64(v, 0), readI64(v, 8));
};

const settimeofday: Syscall = (c) => {
  let tv: [number, number] | undefined;
  if (c.a[0] !== 0) {
    const v = new DataView(c.user.read(c.a[0], 16).buffer);
    const usec = readI64(v, 8);
    if (usec < 0 || usec >= 1e6) return -EINVAL;
    tv = [readI64(v, 0), usec * 1000];
  }
  if (c.a[1] !== 0) {
    const minutesWest = new DataView(c.user.read(c.a[1], 8).buffer).getInt32(0, true);
    if (minutesWest > 15 * 60 || minutesWest < -15 * 60) return -EINVAL;
  }
  if (!tv) return c.p.creds.capable(CAP_SYS_TIME) ? 0 : -EPERM;
  return settime(c, tv[0], tv[1]);
};

const ADJ_OFFSET = 0x1;
const ADJ_FREQUENCY = 0x2;
const ADJ_MAXERROR = 0x4;
const ADJ_ESTERROR = 0x8;
const ADJ_STATUS = 0x10;
const ADJ_TIMECONST = 0x20;
const ADJ_TAI = 0x80;
const ADJ_SETOFFSET = 0x100;
const ADJ_MICRO = 0x1000;
const ADJ_NANO = 0x2000;
const ADJ_TICK = 0x4000;
const ADJ_ADJTIME = 0x8000;
const ADJ_OFFSET_READONLY = 0x2000;
const STA_PLL = 0x1;
const STA_CLOCKERR = 0x1000;
const STA_NANO = 0x2000;
const STA_RONLY = 0x100 | 0x200 | 0x400 | 0x800 | STA_CLOCKERR | STA_NANO | 0x4000 | 0x8000;
/** MAXFREQ_SCALED: 500 ppm in 16.16 fixed point. */
const MAXFREQ = 500 << 16;
const MAXTC = 10;
const USER_HZ = 100;
const TIME_ERROR = 5;
const TIMEX_SIZE = 208;

/** adjtimex's checks (timekeeping_validate_timex), then the changes, then the state and the struct filled in. */
function adjust(c: Call, addr: number): number {
  const b = c.user.read(addr, TIMEX_SIZE);
  const v = new DataView(b.buffer);
  const modes = v.getUint32(0, true);
  const privileged = c.p.creds.capable(CAP_SYS_TIME);
  if (modes & ADJ_ADJTIME) {
    if ((modes & 0x0001) === 0) return -EINVAL;
    if (!(modes & ADJ_OFFSET_READONLY) && !privileged) return -EPERM;
  } else {
    if (modes && !privileged) return -EPERM;
    if (modes & ADJ_TICK) {
      const tick = readI64(v, 88);
      if (tick < 900000 / USER_HZ || tick > 1100000 / USER_HZ) return -EINVAL;
    }
  }
  const s = ntpOf(c.sys);
  if (modes & ADJ_SETOFFSET) {
    const [sec, frac] = [readI64(v, 72), readI64(v, 80)];
    const nano = (modes & ADJ_NANO) !== 0;
    if (frac < 0 || frac >= (nano ? 1e9 : 1e6)) return -EINVAL;
    // The clock must stay a valid time (timekeeping_inject_offset).
    const to = c.sys.wallNow() + sec * 1000 + frac / (nano ? 1e6 : 1e3);
    if (!(to >= 0 && to / 1000 <= SETTOD_SEC_MAX)) return -EINVAL;
    setWall(c.sys, to);
  }
  if (!(modes & ADJ_ADJTIME)) {
    if (modes & ADJ_MICRO) s.status &= ~STA_NANO;
    if (modes & ADJ_NANO) s.status |= STA_NANO;
    if (modes & ADJ_STATUS) {
      const status = v.getInt32(40, true);
      // Leaving PLL mode resets the NTP state (ntp.c's process_adj_status).
      if (s.status & STA_PLL && !(status & STA_PLL)) [s.state, s.status, s.nextLeapSec] = [TIME_OK, STA_UNSYNC, Infinity];
      s.status = (s.status & STA_RONLY) | (status & ~STA_RONLY);
    }
    if (modes & ADJ_FREQUENCY) s.freq = Math.max(-MAXFREQ, Math.min(MAXFREQ, readI64(v, 16)));
    if (modes & ADJ_MAXERROR) s.maxerror = readI64(v, 24);
    if (modes & ADJ_ESTERROR) s.esterror = readI64(v, 32);
    if (modes & ADJ_TIMECONST) s.constant = Math.max(0, Math.min(MAXTC, readI64(v, 48)));
    if (modes & ADJ_TAI && readI64(v, 48) >= 0) s.tai = readI64(v, 48);
    if (modes & ADJ_OFFSET) s.offset = readI64(v, 8) * (s.status & STA_NANO ? 1 : 1000);
    if (modes & ADJ_TICK) s.tick = readI64(v, 88);
  }
  return fill(c, addr, b, c.sys.wallNow()) < 0 ? -EFAULT : s.status & (STA_UNSYNC | STA_CLOCKERR) ? TIME_ERROR : s.state;
}

/** Writes the state back into the caller's struct timex. */
function fill(c: Call, addr: number, b: Uint8Array, nowMs: number): number {
  const s = ntpOf(c.sys);
  const nano = (s.status & STA_NANO) !== 0;
  const sec = Math.floor(nowMs / 1000);
  const frac = Math.floor((nowMs - sec * 1000) * (nano ? 1e6 : 1e3));
  const put = (at: number, x: number): void => b.set(encodeU64s([x < 0 ? x + 2 ** 64 : x]), at);
  put(8, nano ? s.offset : Math.trunc(s.offset / 1000));
  put(16, s.freq);
  put(24, s.maxerror);
  put(32, s.esterror);
  new DataView(b.buffer).setInt32(40, s.status, true);
  put(48, s.constant);
  put(56, 1);
  put(64, MAXFREQ);
  put(72, sec);
  put(80, frac);
  put(88, s.tick);
  new DataView(b.buffer).setInt32(160, s.tai, true);
  try {
    c.user.write(addr, b);
  } catch {
    return -EFAULT;
  }
  return 0;
}

const adjtimex: Syscall = (c) => adjust(c, c.a[0]);

/** clock_adjtime: only CLOCK_REALTIME is adjustable (other clocks EINVAL or EOPNOTSUPP as Linux's posix clocks answer). */
const clockAdjtime: Syscall = (c) => (c.int(0) === CLOCK_REALTIME ? adjust(c, c.a[1]) : -EINVAL);

// Rows of syscall-table.ts name these handlers.
export { clockSettime, settimeofday, adjtimex, clockAdjtime };
