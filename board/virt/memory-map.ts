// The virt board's physical memory map and interrupt numbers, as QEMU 7.2 builds it.

export const GIC_DIST_BASE = 0x0800_0000;
export const GIC_CPU_BASE = 0x0801_0000;
export const GIC_REDIST_BASE = 0x080a_0000;
export const GIC_REGION_SIZE = 0x1_0000;
export const UART_BASE = 0x0900_0000;
export const RTC_BASE = 0x0901_0000;
export const DEVICE_PAGE = 0x1000;
export const RAM_BASE = 0x4000_0000;

/** GIC interrupt ids (INTID): SPI n is 32 + n. */
export const UART_INTID = 33;
export const RTC_INTID = 34;
export const PHYS_TIMER_INTID = 30;
export const VIRT_TIMER_INTID = 27;
export const HYP_TIMER_INTID = 26;
export const PMU_INTID = 23;

/** QEMU virt wires 256 SPIs to the GIC (NUM_IRQS). */
export const SPI_COUNT = 256;

/** The generic timer's frequency on QEMU 7.2 (62.5 MHz). */
export const TIMER_FREQUENCY = 62_500_000;

/** QEMU reserves this much for the device tree blob. */
export const DTB_BUFFER_SIZE = 0x10_0000;
