#!/bin/busybox sh
# The initramfs's /init when the kernel has virtio as modules (Debian's cloud
# kernel): load virtio-mmio, virtio-blk and virtio-rng, mount /dev/vda, switch to it.
/bin/busybox mkdir -p /proc /sys /dev /newroot
/bin/busybox mount -t devtmpfs devtmpfs /dev
for m in virtio_ring virtio virtio_mmio virtio_blk virtio-rng; do
  /bin/busybox insmod /lib/modules/$m.ko || echo "initramfs: insmod $m failed"
done
n=0
while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do /bin/busybox sleep 0.1; n=$((n + 1)); done
/bin/busybox mount -t ext2 -o rw /dev/vda /newroot || echo "initramfs: cannot mount /dev/vda"
/bin/busybox mount --move /dev /newroot/dev
exec /bin/busybox switch_root /newroot /sbin/init
