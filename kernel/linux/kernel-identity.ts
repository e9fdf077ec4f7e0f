// What this kernel calls itself: uname's release and version strings,
// shared by uname(2), /proc/version, /proc/sys/kernel and the kernel
// configuration file.

export const KERNEL_RELEASE = '6.1.0-salty';
export const KERNEL_VERSION = '#1 SMP PREEMPT salty';
