// `salty compare` arguments: options first, then the two ELFs (or --build's
// source), then the program's arguments untouched.

import { UsageError } from './run-args';

export interface CompareArgs {
  readonly programs: string[];
  readonly args: string[];
  readonly build: string | undefined;
  readonly set: string[];
  readonly unset: string[];
  readonly argv0: string | undefined;
  readonly memory: string;
  readonly root: string | undefined;
  readonly maxInsns: number | undefined;
  readonly sampleEvery: number;
  readonly json: boolean;
  readonly html: string | undefined;
  readonly help: boolean;
}

export const DEFAULT_SAMPLE_EVERY = 100;

export const COMPARE_USAGE = `usage: salty compare [options] [AARCH64.elf X86_64.elf [ARGS...]]
       salty compare [options] --build PROG.c [ARGS...]
Runs the two builds of one program, each on its own backend (aarch64 on the virt
board, x86_64 on the PC), with the same arguments, environment, root and guest
RAM, and reports whether they behaved the same (stdout, stderr, exit status) and
the kernel's figures side by side. Without programs it runs the built-in
workloads (fork, churn, sparse, threads, filemap).
  --build PROG.c   build PROG.c for both arches first (aarch64-linux-gnu-gcc and an
                   x86_64 gcc, -static; AARCH64_CC and X86_64_CC override the names)
  -E VAR=VALUE     set VAR in the guest environment
  -U VAR           remove VAR from the guest environment
  -0 ARGV0         argv[0] for both (default: the first program's name without
                   its arch suffix, the same on both sides)
  -m SIZE          guest RAM (default 256M)
  --root DIR       the host directory the guests see as / (default /, read-only)
  --max-insns N    stop each guest after N instructions
  --sample N       instructions between two samples of frames in use (default
                   ${DEFAULT_SAMPLE_EVERY}; doubled while a run has more than 64 samples)
  --json           print the report as JSON
  --html FILE      write the report as one self-contained HTML page
  -h, --help       this text
Exit status: 0 when every program behaved the same on both, 1 when one did not,
2 when the comparison could not run.
`;

export function parseCompareArgs(argv: readonly string[]): CompareArgs {
  const r = { programs: [] as string[], args: [] as string[], build: undefined as string | undefined, set: [] as string[], unset: [] as string[], argv0: undefined as string | undefined, memory: '256M', root: undefined as string | undefined, maxInsns: undefined as number | undefined, sampleEvery: DEFAULT_SAMPLE_EVERY, json: false, html: undefined as string | undefined, help: false };
  let i = 0;
  const value = (opt: string): string => {
    if (i + 1 >= argv.length) throw new UsageError(`${opt} needs a value`);
    return argv[++i];
  };
  const positive = (opt: string): number => {
    const n = Number(value(opt));
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${opt} expects a positive integer`);
    return n;
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    switch (a) {
      case '--build':
        r.build = value(a);
        break;
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
      case '--root':
        r.root = value(a);
        break;
      case '--max-insns':
        r.maxInsns = positive(a);
        break;
      case '--sample':
        r.sampleEvery = positive(a);
        break;
      case '--json':
        r.json = true;
        break;
      case '--html':
        r.html = value(a);
        break;
      case '-h':
      case '--help':
        r.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${a}`);
    }
  }
  const rest = argv.slice(i);
  if (r.build !== undefined) r.args = rest;
  else if (rest.length === 1) throw new UsageError('give two programs (an aarch64 and an x86_64 build of one program), or none for the built-in workloads');
  else if (rest.length >= 2) {
    r.programs = rest.slice(0, 2);
    r.args = rest.slice(2);
  }
  return r;
}
