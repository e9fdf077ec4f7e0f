#!/bin/busybox sh
# The initramfs's /init: a few things every boot must get right, printed to the console.
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin /tmp
/bin/busybox --install -s
echo "init: started"
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
echo "init: uname: $(uname -a)"
cat /proc/cpuinfo
echo "init: cmdline: $(cat /proc/cmdline)"
echo "init: mounts:"
cut -d' ' -f1-3 /proc/mounts
echo "init: applets:"
echo hello world | wc -c
seq 1 5 | tr '\n' ' '
echo
echo "one two three" | sed 's/two/2/' | awk '{ print $3, $2, $1 }'
printf 'b\na\nc\n' | sort | tr -d '\n'
echo
echo "salty" > /tmp/f && cat /tmp/f && rm /tmp/f
echo "init: fork and pipe:"
( echo "child $((6 * 7))" ) | cat
sh -c 'exit 3'; echo "child exit status $?"
i=0; while [ $i -lt 20 ]; do i=$((i + 1)); done; echo "loop $i"
echo "init: powering off"
poweroff -f
