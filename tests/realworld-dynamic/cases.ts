// The real-world dynamic cases: Debian arm64 programs linked against glibc,
// run from the sysroot fetch.sh extracts, with -L that sysroot, from the
// repository root with the fixed environment below. Outputs must not depend
// on the machine: no host files outside the repository and the sysroot, no
// times, ids, pids or environment order.

import { readFileSync } from 'node:fs';

export const SYSROOT = 'tests/realworld-dynamic/.cache/sysroot';

/**
 * qemu-aarch64 hands a guest execve to the host, which cannot run an aarch64
 * ELF without binfmt_misc: python3's subprocess finds a host script first in
 * PATH there, which runs the program under qemu-aarch64 -L again (the
 * harness writes it when it runs qemu). Under salty, that script's /bin/sh
 * is the host's x86-64 one, execve answers ENOEXEC and the search goes on to
 * /usr/bin, which -L finds in the sysroot: what Linux finds directly.
 */
export const EXEC_SHIM = '/tmp/salty-realworld-dynamic-shim';
export const ENV = [`PATH=${EXEC_SHIM}:/usr/bin:/bin`, 'TZ=UTC0', 'PYTHONDONTWRITEBYTECODE=1'];

export interface DynamicCase {
  readonly name: string;
  /** The program, relative to the sysroot. */
  readonly program: string;
  /** Which Debian package ships it (for the golden's first line). */
  readonly pkg: string;
  readonly args: readonly string[];
  readonly stdin?: string;
}

const TEXT = 'root:x:0:0\nfoo:x:12:7\nbar:x:5:7\nbaz:x:40:1\nFoO:x:3:3\n';
const PROSE = 'the quick brown fox\njumps over\tthe lazy dog\n\nthe end, the END\n';
const SCRIPTS = 'tests/realworld-dynamic/scripts';
/** Long texts of the sysroot (about 5,700 lines) and a pattern with look-behind, a back-reference and a negative look-ahead. */
const COPYRIGHTS = ['perl-base', 'gcc-12-base', 'libkrb5-3'].map((p) => `${SYSROOT}/usr/share/doc/${p}/copyright`);
const PCRE = '(?i)(?<=copyright)\\s*(?:\\(c\\)\\s*)?(\\d{4})(?:\\s*[-,]\\s*(?!\\1)\\d{4})*';

export const CASES: readonly DynamicCase[] = [
  { name: 'ls', program: 'bin/ls', pkg: 'coreutils', args: ['-1', '-F', '-a', SCRIPTS, 'tests/fixtures/linux-dynamic/glibc'] },
  { name: 'ls-missing', program: 'bin/ls', pkg: 'coreutils', args: ['-d', SCRIPTS, 'no/such/dir'] },
  { name: 'sort', program: 'usr/bin/sort', pkg: 'coreutils', args: ['-t', ':', '-k', '4,4n', '-k', '1,1'], stdin: TEXT },
  { name: 'sort-unique', program: 'usr/bin/sort', pkg: 'coreutils', args: ['-u', '-f', '-r'], stdin: 'b\nA\na\nc\nB\n' },
  { name: 'wc', program: 'usr/bin/wc', pkg: 'coreutils', args: [], stdin: PROSE },
  { name: 'wc-files', program: 'usr/bin/wc', pkg: 'coreutils', args: ['-l', '-w', `${SCRIPTS}/lua.lua`, `${SCRIPTS}/perl.pl`] },
  { name: 'md5sum', program: 'usr/bin/md5sum', pkg: 'coreutils', args: [`${SCRIPTS}/sqlite.sql`, '-'], stdin: PROSE },
  { name: 'date', program: 'bin/date', pkg: 'coreutils', args: ['-d', '@0'] },
  { name: 'date-format', program: 'bin/date', pkg: 'coreutils', args: ['-u', '-d', '@1700000000', '+%Y-%m-%d %H:%M:%S %A %j %s'] },
  { name: 'grep', program: 'bin/grep', pkg: 'grep', args: ['-n', '-i', '-E', 'fo+|ba[rz]'], stdin: TEXT },
  { name: 'grep-count', program: 'bin/grep', pkg: 'grep', args: ['-c', '-v', '-w', 'the'], stdin: PROSE },
  // PCRE2 compiles the pattern to aarch64 code in an RWX mapping (a JIT in the guest) that runs once per line.
  { name: 'grep-pcre-jit', program: 'bin/grep', pkg: 'grep', args: ['-c', '-P', PCRE, ...COPYRIGHTS] },
  { name: 'grep-pcre-jit-only', program: 'bin/grep', pkg: 'grep', args: ['-o', '-m', '40', '-P', PCRE, ...COPYRIGHTS] },
  { name: 'sed', program: 'bin/sed', pkg: 'sed', args: ['-n', '-e', '/foo/,/baz/{s/:x:/=/g;p}', '-e', '$='], stdin: TEXT },
  { name: 'sed-hold', program: 'bin/sed', pkg: 'sed', args: ['-E', '1!G;h;$!d;s/([a-z]+)/<\\1>/'], stdin: PROSE },
  {
    name: 'gawk',
    program: 'usr/bin/gawk',
    pkg: 'gawk',
    args: ['-F:', '{ n[$4]++; s[$4] += $3; names[$4] = names[$4] " " toupper($1) } END { PROCINFO["sorted_in"] = "@ind_num_asc"; for (k in n) printf "%s %d %.2f%s\\n", k, n[k], s[k] / n[k], names[k] }'],
    stdin: TEXT,
  },
  { name: 'python3', program: 'usr/bin/python3.11', pkg: 'python3.11-minimal', args: [`${SCRIPTS}/python.py`] },
  { name: 'python3-modules', program: 'usr/bin/python3.11', pkg: 'python3.11-minimal', args: [`${SCRIPTS}/python-modules.py`] },
  { name: 'lua5.4', program: 'usr/bin/lua5.4', pkg: 'lua5.4', args: [`${SCRIPTS}/lua.lua`] },
  { name: 'sqlite3', program: 'usr/bin/sqlite3', pkg: 'sqlite3', args: [':memory:'], stdin: readFileSync(`${SCRIPTS}/sqlite.sql`, 'latin1') },
  { name: 'perl', program: 'usr/bin/perl', pkg: 'perl-base', args: [`${SCRIPTS}/perl.pl`], stdin: TEXT },
];
