#!/bin/busybox sh
# /sbin/init of the ext2 root image: runs from the virtio-blk disk, shows it, writes to it, powers off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "root: init running from $(awk '$2 == "/" { print $1, $3, substr($4, 1, 2) }' /proc/mounts)"
echo "root: vda has $(cat /sys/block/vda/size) sectors"
cat /etc/motd
ls /
echo "init: $(wc -c < /sbin/init) bytes of /sbin/init"
echo "root: hwrng $(cat /sys/class/misc/hw_random/rng_current), $(head -c 4096 /dev/hwrng | wc -c) bytes read"
echo "written through virtio-blk" > /written.txt
sync
cat /written.txt
echo "root: powering off"
poweroff -f
