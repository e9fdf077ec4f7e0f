# One script for bash and the three mksh builds: functions, arithmetic,
# command substitution, loops, case, here-documents, pipelines of builtins.
# Builtins only: mksh has no printf or cat, and an external command would
# run the host's binary under qemu-aarch64.
fib() {
  if [ "$1" -le 1 ]; then echo "$1"; return; fi
  echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) ))
}
fact() {
  n=$1 r=1
  while [ "$n" -gt 1 ]; do r=$((r * n)); n=$((n - 1)); done
  echo "$r"
}
classify() {
  case $1 in
    [0-9]*) echo "number $1" ;;
    *.sh) echo "script ${1%.sh}" ;;
    *) echo "word $1" ;;
  esac
}
echo "fib 10 = $(fib 10)"
echo "fact 20 = $(fact 20)"
echo "arith: $(( (7 * 6) % 5 )) $(( 1 << 10 )) $(( -17 / 5 )) $(( 0x1f ^ 0x0f ))"
for w in 42 hello run.sh; do classify "$w"; done
i=0 sum=0
while [ $i -lt 100 ]; do i=$((i + 1)); sum=$((sum + i * i)); done
echo "sum of squares to 100: $sum"
s="the quick brown fox"
echo "length ${#s}, upper-less: ${s#the } ${s%fox}end"
set -- alpha beta gamma
echo "$# args: $*; last via loop:$(for a; do :; done; echo " $a")"
count=$(for x in a b c d e; do echo "$x"; done | while read -r line; do echo "$line"; done | { n=0; while read -r x; do n=$((n + 1)); done; echo $n; })
echo "lines counted through a pipe: $count"
while read -r line; do echo "read: $line"; done <<END
here-doc: $((3 + 4)) $(echo nested $(echo deeper))
second line
END
(exit 3); echo "subshell status $?"
f() { return 7; }; f; echo "function status $?"
x=5; x=$((x += 3, x * 2)); echo "comma and assignment: $x"
echo done >&2
exit 5
