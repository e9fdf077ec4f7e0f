// The real-world cases: one command line each, run with salty and with
// qemu-aarch64 from the repository root with the fixed environment below.
// Outputs must not depend on the machine: no host files outside the extracted
// packages, no times, ids, pids or environment order.

import type { BinaryName } from './binaries';

/**
 * The only variable the guest sees. The exec-shim folder comes first so that
 * qemu-aarch64, which hands a guest execve to the host (busybox sh re-executing
 * /proc/self/exe then gets ENOEXEC and searches PATH), finds a host script
 * there that runs the applet under qemu-aarch64 again: the outcome Linux gives
 * directly. salty never reaches it. Absolute, so a case may change directory.
 * Applets that exec through glibc's execvp (timeout, env, nice, find -exec)
 * are left out: on ENOEXEC execvp runs /bin/sh on /proc/self/exe instead.
 */
export const EXEC_SHIM = '/tmp/salty-realworld-exec-shim';
export const ENV = [`PATH=${EXEC_SHIM}:/usr/bin:/bin`];

export interface RealWorldCase {
  readonly name: string;
  readonly binary: BinaryName;
  readonly args: readonly string[];
  readonly stdin?: string;
  /** Why the live qemu-aarch64 comparison leaves this case out (the golden still applies). */
  readonly notLive?: string;
}

const TEXT = 'root:x:0:0\nfoo:x:12:7\nbar:x:5:7\nbaz:x:40:1\nFoO:x:3:3\n';
const PROSE = 'the quick brown fox\njumps over\tthe lazy dog\n\nthe end, the END\n';
const DOC = 'tests/realworld/.cache/root/usr/share/doc/mksh';

/** Runs SCRIPT in a fresh temporary folder and removes it, keeping SCRIPT's status. */
function inTmp(script: string): string {
  return `d=$(mktemp -d) && cd "$d" || exit 99\n${script}\ns=$?; cd /; rm -rf "$d"; exit $s`;
}

const bb = (name: string, args: string[], stdin?: string): RealWorldCase => ({ name: `busybox-${name}`, binary: 'busybox', args, stdin });
const sh = (name: string, script: string, stdin?: string): RealWorldCase => bb(name, ['sh', '-c', script], stdin);

const BUSYBOX: RealWorldCase[] = [
  bb('list', ['--list']),
  bb('echo', ['echo', '-e', 'hello\\tworld\\n\\x41']),
  bb('printf', ['printf', '%s=%d %05.2f %x %o %c|%-4s|%e\\n', 'a', '42', '3.14159', '255', '8', 'xyz', 'ab', '12345.678']),
  bb('cat', ['cat', '-n', '-'], TEXT),
  bb('tr', ['tr', '-s', 'a-z', 'A-Z'], PROSE),
  bb('cut', ['cut', '-d:', '-f1,3'], TEXT),
  bb('sed', ['sed', '-e', 's/o/0/g', '-e', '2d', '-e', '/baz/{h;s/.*/[&]/;G}', '-e', '$a\\\nend'], TEXT),
  bb('awk', ['awk', '-F:', '{ s += $3; n[tolower($1)]++ } END { for (k in n) c++; printf "%d %d %.3f %s\\n", s, c, s / NR, toupper(substr($1, 2)) }'], TEXT),
  bb('awk-float', ['awk', 'BEGIN { for (i = 1; i <= 20; i++) s += 1 / i; printf "%.9f %g %d %.3e %s %s\\n", s, s * 1e10, int(-3.7), 1 / 3, 9007199254740993, 7 % 3 }']),
  bb('grep', ['grep', '-n', '-i', '-E', 'fo+|ba[rz]'], TEXT),
  bb('grep-nomatch', ['grep', '-c', 'nothing'], TEXT),
  bb('sort', ['sort', '-t:', '-k3,3n', '-k1,1r'], TEXT),
  bb('wc', ['wc'], PROSE),
  bb('od', ['od', '-A', 'x', '-t', 'x2', '-c', '-v'], PROSE),
  bb('hexdump', ['hexdump', '-C'], PROSE),
  bb('xxd', ['xxd', '-g', '4'], TEXT),
  bb('factor', ['factor', '360', '9973', '600851475143', '4294967297']),
  bb('seq', ['seq', '-s', ',', '-w', '0', '7', '50']),
  bb('bc', ['bc', '-l'], 'scale=20\n4*a(1)\n2^100\n(17/3)*3\nsqrt(2)\n'),
  bb('dc', ['dc', '-e', '2 64 ^ p 7 k 22 7 / p 10 3 % p']),
  bb('expr', ['sh', '-c', 'expr 6 \\* 7; expr length hello; expr abc : "a\\(.\\)"; expr 5 \\< 3; echo "status $?"']),
  bb('test', ['sh', '-c', 'test 3 -lt 4 && echo lt; [ -z "" ] && echo empty; [ abc \\> abb ] && echo greater; [ -d / -a ! -f / ] && echo dir; test 1 -eq 2; echo $?']),
  bb('getopt', ['getopt', '-o', 'ab:c', '-l', 'long:', '--', '-a', '-b', 'x', '--long=y', 'z', '-c']),
  bb('ipcalc', ['ipcalc', '-bnmp', '192.168.10.77/21']),
  bb('cal', ['cal', '2', '2024']),
  bb('date', ['date', '-u', '-d', '@1000000000', '+%Y-%m-%d %H:%M:%S %a %b %j %s']),
  bb('false', ['false']),
  bb('md5sum-file', ['md5sum', `${DOC}/copyright`]),
  bb('ls-package', ['ls', '-1a', DOC]),
  bb('wc-file', ['wc', '-l', '-w', '-c', `${DOC}/copyright`]),
  sh('hashes', 'for h in md5sum sha1sum sha256sum sha512sum sha3sum; do echo abc | $h; done; echo abc | crc32'),
  sh('head-tail', 'seq 1 100 | head -n 12 | tail -n 3; seq 5 | tac | rev | nl'),
  sh('uniq', 'tr " " "\\n" | sort | uniq -c | sort -k1,1nr -k2', 'b a c a b a d\n'),
  sh('xargs', 'seq 1 10 | xargs -n 3 echo; echo a b c | xargs -n1 printf "<%s>"; echo'),
  sh('base64', 'echo "Salty on busybox" | base64 | tee /dev/stderr | base64 -d'),
  sh('fold-expand', 'fold -w 8 | expand -t 4 | unexpand -a | od -c', 'one\ttwo three four five six\n'),
  sh('paste', 'seq 1 6 | paste - - -; seq 1 4 | paste -s -d +'),
  sh('dd', 'echo hello world | dd conv=ucase bs=4 2>/dev/null; dd if=/dev/zero bs=512 count=3 2>/dev/null | wc -c'),
  sh('strings', 'printf "ab\\001\\002hello\\000wor\\377world!\\n" | strings -n 4'),
  sh('yes', 'yes salty | head -n 3'),
  sh('words', `tr -cs 'A-Za-z' '\\n' < ${DOC}/copyright | tr A-Z a-z | sort | uniq -c | sort -k1,1nr -k2 | head -n 8`),
  sh('find', `find ${DOC} -name '*.t*' -type f | sort; find tests/realworld/.cache/root/usr/lib -type f | sort`),
  sh('files', inTmp('mkdir -p a/b/c && touch a/b/c/f && echo hi > a/x && cp a/x a/y && mv a/y a/b/z && ln -s ../x a/b/l\n' +
    'ls -1R a; cat a/b/l; readlink a/b/l; basename a/b/c/f .f; dirname a/b/c/f\n' +
    'chmod 640 a/x && stat -c "%n %s %a %F" a/x a/b/l; stat -c "%n %a %F" a/b; rm -r a/b/c; rmdir a/b 2>&1; echo "rmdir $?"; find a | sort')),
  sh('diff-patch', inTmp('seq 1 8 > a; seq 1 8 | sed "3d;5s/5/five/" > b; diff a b; echo "diff $?"; cmp a b; echo "cmp $?"\n' +
    'diff -u a b > p; cp a c; patch c < p; cmp b c && echo patched')),
  sh('gzip', inTmp('seq 1 2000 > f; gzip -9 -c f > f.gz; wc -c < f.gz; zcat f.gz | md5sum; md5sum < f; gunzip -t f.gz && echo ok')),
  sh('bzip2', inTmp('seq 1 3000 > f; bzip2 -c f > f.bz2; bzcat f.bz2 | tail -n 2; bunzip2 -c f.bz2 | md5sum; md5sum < f')),
  sh('tar-cpio', inTmp('mkdir -p t/s && echo one > t/1 && echo two > t/s/2 && tar cf x.tar t && tar tf x.tar | sort\n' +
    'mkdir u && tar xf x.tar -C u && cat u/t/s/2; find t | sort | cpio -o -H newc 2>/dev/null | cpio -t 2>/dev/null')),
  sh('uuencode', 'echo "uu round trip" | uuencode -m data | tee /dev/stderr | uudecode -o /dev/stdout'),
  sh('dos2unix', 'printf "a\\nb\\n" | unix2dos | od -c | head -n 1; printf "c\\r\\nd\\r\\n" | dos2unix | od -c | head -n 1'),
  sh('pipeline-status', 'false | true; echo "last $?"; true | false; echo "last $?"; nosuchcommand 2>&1; echo "missing $?"'),
  sh('subshells', 'x=1; (x=2; echo "inner $x"); echo "outer $x"; y=$(echo a; echo b); echo "$y" | wc -l; f() { echo "f $# $1"; return 3; }; f p q; echo "ret $?"'),
  sh('background', '(sleep 0.05; echo late) & echo early; wait; echo "waited $?"; sh -c "exit 4" & wait $!; echo "child $?"'),
  sh('exec', 'exec echo replaced by exec; echo not reached'),
  sh('signal-status', 'sh -c "kill -SEGV \\$\\$"; echo "segv $?"; sh -c "kill -USR1 \\$\\$"; echo "usr1 $?"; sh -c "kill -TERM \\$\\$"; echo "term $?"'),
  sh('trap', 'trap "echo cleanup" EXIT; trap "echo got usr1" USR1; kill -USR1 $$; echo after; exit 2'),
  sh('here-doc', 'cat <<EOF | sed "s/^/> /"\nvalue $((6 * 7))\n$(echo nested)\nEOF'),
  sh('read-loop', 'n=0; while IFS=: read -r name pw uid gid; do n=$((n + uid)); echo "$name:$gid"; done; echo "total $n"', TEXT),
  sh('getopts', 'set -- -a -b val rest; while getopts ab: o; do echo "opt $o ${OPTARG:-}"; done; shift $((OPTIND - 1)); echo "rest $*"; set -o pipefail; false | true; echo "pipefail $?"'),
  sh('arith', 'echo $((1 << 40)) $((-7 / 2)) $((-7 % 3)) $((0x7fffffffffffffff + 1)) $((3 > 2 ? 10 : 20)) $((~5))'),
];

const SCRIPT = 'tests/realworld/scripts/shell.sh';
const MKSH_FEATURES =
  'typeset -i16 h=255; print -r -- "$h"; set -A arr z y x; print ${#arr[*]} ${arr[2]}; s=abcdef; print ${s:2:3} ${s/cd/CD} ${#s}; ' +
  'typeset -u up=shout; print $up; x=2147483647; print -- $((x+1)); print -n no-newline; print; read -r a b <<< "one two three"; print "$b|$a"; ' +
  'getopts ab: opt -b val; print $opt $OPTARG; [[ abc == a* ]] && print glob; typeset -R6 r=ab; print "[$r]"; print ${KSH_VERSION%% *}';
const mksh = (libc: 'musl' | 'klibc' | 'dietlibc'): RealWorldCase[] => [
  { name: `mksh-${libc}-script`, binary: `mksh-${libc}`, args: [SCRIPT, 'one', 'two'] },
  { name: `mksh-${libc}-features`, binary: `mksh-${libc}`, args: ['-c', MKSH_FEATURES] },
];
const SHELLS: RealWorldCase[] = [
  { name: 'bash-script', binary: 'bash', args: [SCRIPT, 'one', 'two'] },
  {
    name: 'bash-features',
    binary: 'bash',
    args: ['-c', 'a=(3 1 2); echo ${#a[@]} ${a[1]} "${a[@]:1}"; declare -A m=([x]=1 [y]=2); echo ${m[y]}; s=hello; echo ${s^^} ${s:1:3} ${s/l/L}; [[ $s == h* ]] && echo glob; for ((i=0; i<3; i++)); do printf "%d," $i; done; echo; echo $BASH_VERSION'],
  },
  {
    name: 'bash-read',
    binary: 'bash',
    args: ['-c', 'declare -i total=0; while IFS=: read -r name _ uid gid; do total+=uid; names+=("${name,,}"); done; printf "%s " "${names[@]}"; printf "\\n%d %x %5.2f\\n" $total $total 3.14159; IFS=,; echo "${names[*]}"; mapfile -t lines <<< $\'a\\nb\'; echo ${#lines[@]}'],
    stdin: TEXT,
  },
  ...mksh('musl'),
  ...mksh('klibc'),
  ...mksh('dietlibc'),
];

export const CASES: readonly RealWorldCase[] = [...BUSYBOX, ...SHELLS];

/** The words of the busybox cases that stand where a command does (a first argument, or after | ; && || $( ( and keywords). */
export function busyboxCommandWords(): Set<string> {
  const words = new Set<string>();
  for (const c of BUSYBOX) {
    if (c.args[0] !== 'sh') words.add(c.args[0]);
    else for (const m of c.args[2].matchAll(/(?:^|[|;&(\n]|\bdo|\bthen|\belse)\s*([a-z][\w.-]*)/g)) words.add(m[1]);
  }
  return words;
}
