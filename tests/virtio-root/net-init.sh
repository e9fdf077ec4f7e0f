#!/bin/busybox sh
# The initramfs's /init for the network test: load the virtio-pci and virtio-net
# modules (Debian's cloud kernel builds them as modules), bring eth0 up and
# print what the driver found: MAC, negotiated features, link, MSI-X vectors.
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
echo "net: started"
for m in failover net_failover virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_net; do /bin/busybox insmod /lib/modules/$m.ko || echo "net: insmod $m failed"; done
n=0
while [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do /bin/busybox sleep 0.1; n=$((n + 1)); done
echo "net: address $(/bin/busybox cat /sys/class/net/eth0/address)"
echo "net: driver $(/bin/busybox basename $(/bin/busybox readlink /sys/class/net/eth0/device/driver))"
echo "net: features $(/bin/busybox cat /sys/class/net/eth0/device/features)"
echo "net: carrier $(/bin/busybox cat /sys/class/net/eth0/carrier 2>&1)"
/bin/busybox ip link set eth0 up
/bin/busybox sleep 1.5
echo "net: operstate $(/bin/busybox cat /sys/class/net/eth0/operstate)"
echo "net: mtu $(/bin/busybox cat /sys/class/net/eth0/mtu)"
/bin/busybox grep -i virtio /proc/interrupts | /bin/busybox awk '{ print "net: irq", $(NF-2), $(NF-1), $NF }'
/bin/busybox cat /sys/bus/pci/devices/0000:00:01.0/msi_bus 2>/dev/null | /bin/busybox sed 's/^/net: msi_bus /'
/bin/busybox ls /sys/bus/pci/devices/0000:00:01.0/msi_irqs 2>/dev/null | /bin/busybox wc -l | /bin/busybox sed 's/^/net: msi irqs /'
/bin/busybox --install -s /bin
udhcpc -i eth0 -f -q -n -t 3 -s /bin/true 2>&1 | sed 's/^/net: /'
ip addr add 10.0.2.15/24 dev eth0
ping -c 1 -W 3 10.0.2.2 | grep 'packets transmitted' | sed 's/^/net: ping: /'
echo "net: done"
/bin/busybox poweroff -f
