// `salty run` arguments, parsed the way qemu-user parses its own: options
// first, then PROG, then PROG's arguments untouched (they may look like options).

export interface RunArgs {
  prog: string | undefined;
  args: string[];
  set: string[];
  unset: string[];
  argv0: string | undefined;
  memory: string;
  /** --root-size: the writable layer's size (default half of -m, as tmpfs). */
  rootSize: string | undefined;
  strace: boolean;
  stats: boolean;
  /** --audit: check the PMM and the tiers when the run ends (kernel/linux/run-audit.ts). */
  audit: boolean;
  maxInsns: number | undefined;
  wallClock: boolean;
  help: boolean;
  root: string | undefined;
  /** -L DIR: the library search root (qemu-user's -L); QEMU_LD_PREFIX when absent. */
  sysroot: string | undefined;
  /** --no-jit / --jit=MODE: the A64 block compiler's mode (undefined: the default). */
  jit: 'off' | 'on' | 'always' | undefined;
  /** -g PORT: wait for gdb on PORT before the first instruction (qemu-user's -g). */
  gdbPort?: number;
}

export const RUN_USAGE = `usage: salty run [options] [PROG [ARGS...]]
Runs an aarch64 Linux ELF, static or dynamically linked, on the emulated board (the built-in demo when PROG is omitted).
  -E VAR=VALUE     set VAR in the guest environment
  -U VAR           remove VAR from the guest environment
  -0 ARGV0         pass ARGV0 as argv[0] instead of PROG
  -m SIZE          guest RAM (default 256M)
  --root-size SIZE the size of the writable layer over / (default half of -m, as
                   tmpfs sizes itself; K/M/G or a percentage of -m); its file data
                   is charged to the guest's RAM, and writes past it answer ENOSPC
  -L DIR           look up every absolute path the guest names (the ELF interpreter,
                   its libraries, /etc/ld.so.cache) under DIR first, as qemu-user's -L;
                   the QEMU_LD_PREFIX environment variable says the same
  --root DIR       the host directory the guest sees as / (default /, as qemu-user
                   does); it is read-only: guest writes land in an in-memory layer
  --strace         print each syscall with its arguments and result
  --stats          print instructions retired, MIPS and tier statistics at exit
  --audit          when the run ends, check the PMM's owners and that no process left
                   frames behind; print one line (salty: audit: ok, or what is wrong)
  --max-insns N    stop the guest after N instructions
  --no-jit         interpret only (no compilation of hot blocks to WebAssembly)
  --jit=MODE       on (hot blocks compiled, the default), off, or always (every block
                   at its first run; for tests); the SALTY_JIT variable says the same
  -g PORT          wait for gdb (target remote :PORT) before the program's first
                   instruction, as qemu-user's -g (docs/gdb.md)
  --wall-clock     guest time follows the host's clock (sleeps really wait, CLOCK_REALTIME
                   is the host's time) instead of counting instructions (deterministic)
  -h, --help       this text
`;

export class UsageError extends Error {}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const r: RunArgs = { prog: undefined, args: [], set: [], unset: [], argv0: undefined, memory: '256M', rootSize: undefined, strace: false, stats: false, audit: false, maxInsns: undefined, wallClock: false, help: false, root: undefined, sysroot: undefined, jit: undefined };
  let i = 0;
  const value = (opt: string): string => {
    if (i + 1 >= argv.length) throw new UsageError(`${opt} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    switch (a) {
      case '-E':
        r.set.push(value(a));
        break;
      case '-U':
        r.unset.push(value(a));
        break;
      case '-0':
        r.argv0 = value(a);
        break;
      case '-m':
        r.memory = value(a);
        break;
      case '--strace':
      case '-strace':
        r.strace = true;
        break;
      case '--root':
        r.root = value(a);
        break;
      case '--root-size':
        r.rootSize = value(a);
        break;
      case '-L':
        r.sysroot = value(a);
        break;
      case '--stats':
        r.stats = true;
        break;
      case '--audit':
        r.audit = true;
        break;
      case '--max-insns': {
        const n = Number(value(a));
        if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--max-insns expects a positive integer`);
        r.maxInsns = n;
        break;
      }
      case '--wall-clock':
        r.wallClock = true;
        break;
      case '--no-jit':
      case '--jit=off':
        r.jit = 'off';
        break;
      case '--jit=on':
        r.jit = 'on';
        break;
      case '--jit=always':
        r.jit = 'always';
        break;
      case '-g': {
        const n = Number(value(a));
        if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new UsageError(`-g expects a TCP port number`);
        r.gdbPort = n;
        break;
      }
      case '-h':
      case '--help':
        r.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${a}`);
    }
  }
  if (i < argv.length) {
    r.prog = argv[i];
    r.args = argv.slice(i + 1);
  }
  return r;
}
