// The device tree of this virt board, shaped as QEMU 7.2's (same node names,
// properties, phandles and order) for the devices this board models.

import { buildDtb, cells, cells64, DtNode, EMPTY, node, strings } from './flattened-device-tree';
import {
  DEVICE_PAGE,
  DTB_BUFFER_SIZE,
  GIC_CPU_BASE,
  GIC_DIST_BASE,
  GIC_REGION_SIZE,
  GIC_REDIST_BASE,
  HYP_TIMER_INTID,
  PHYS_TIMER_INTID,
  PMU_INTID,
  RAM_BASE,
  RTC_BASE,
  RTC_INTID,
  UART_BASE,
  UART_INTID,
  VIRT_TIMER_INTID,
} from './memory-map';
import { flashNode, fwCfgNode, platformBusNode } from './firmware-nodes';
import { virtioMmioNodes } from './virtio-mmio';
import { PCIE_ECAM_BASE, PCIE_ECAM_SIZE, PCIE_FIRST_SPI, PCIE_HIGH_MMIO_BASE, PCIE_HIGH_MMIO_SIZE, PCIE_MMIO_BASE, PCIE_MMIO_SIZE, PCIE_PIO_BASE, PCIE_PIO_SIZE } from './pcie-host';

import { REDISTRIBUTOR_REGION_SIZE } from './gic-redistributor';
import { ITS_BASE, ITS_SIZE } from './gic-its';
import { V2M_BASE, V2M_SIZE } from './gic-v2m';

const PHANDLE_CLOCK = 0x8000;
/** QEMU numbers phandles from 0x8000 on: the clock, the CPUs (the last one first), then the GIC. */
const cpuPhandle = (cpu: number, cpus: number) => 0x8000 + cpus - cpu;
/** Phandle of the GIC, after the CPUs': its cells are in every interrupt-map and interrupt-parent. */
const gicPhandle = (cpus: number) => 0x8001 + cpus;
const IRQ_TYPE_LEVEL_HIGH = 4;
const GIC_SPI = 0;
const GIC_PPI = 1;
const SECURE_TIMER_INTID = 29;

/** PPI flags: level-high, with GICv2 the mask of the CPUs that have it in bits 15:8 (QEMU writes none for GICv3). */
function ppiFlags(o: DeviceTreeOptions): number {
  const n = o.cpus ?? 1;
  return o.gicVersion === 2 ? (((1 << n) - 1) << 8) | IRQ_TYPE_LEVEL_HIGH : IRQ_TYPE_LEVEL_HIGH;
}

export interface DeviceTreeOptions {
  readonly ramSize: number;
  readonly gicVersion: 2 | 3;
  /** CPUs (-smp); 1 when absent. */
  readonly cpus?: number;
  readonly bootargs?: string;
  readonly initrd?: { readonly start: number; readonly end: number };
  /** 32 bytes for rng-seed and 8 for kaslr-seed (QEMU fills them randomly). */
  readonly seed: Uint8Array;
}

export function virtDeviceTree(o: DeviceTreeOptions): Uint8Array {
  const gic = gicPhandle(o.cpus ?? 1);
  const root = node(
    '',
    [
      ['interrupt-parent', cells(gic)],
      ['model', strings('linux,dummy-virt')],
      ['#size-cells', cells(2)],
      ['#address-cells', cells(2)],
      ['compatible', strings('linux,dummy-virt')],
    ],
    [psciNode(), memoryNode(o.ramSize), platformBusNode(gic), fwCfgNode(), ...virtioMmioNodes(), pcieNode(gic, gic + 1), rtcNode(), uartNode(), pmuNode(o), gicNode(o.gicVersion, gic), flashNode(), cpusNode(o.cpus ?? 1), timerNode(o), clockNode(), chosenNode(o)],
  );
  return buildDtb(root, DTB_BUFFER_SIZE);
}

function psciNode(): DtNode {
  return node('psci', [
    ['migrate', cells(0xc4000005)],
    ['cpu_on', cells(0xc4000003)],
    ['cpu_off', cells(0x84000002)],
    ['cpu_suspend', cells(0xc4000001)],
    ['method', strings('hvc')],
    ['compatible', strings('arm,psci-1.0', 'arm,psci-0.2', 'arm,psci')],
  ]);
}

function memoryNode(ramSize: number): DtNode {
  return node(`memory@${RAM_BASE.toString(16)}`, [
    ['reg', cells64(RAM_BASE, ramSize)],
    ['device_type', strings('memory')],
  ]);
}

function primeCell(name: string, base: number, spi: number, compatible: string, clockNames: string[]): DtNode {
  return node(`${name}@${base.toString(16)}`, [
    ['clock-names', strings(...clockNames)],
    ['clocks', cells(...clockNames.map(() => PHANDLE_CLOCK))],
    ['interrupts', cells(GIC_SPI, spi, IRQ_TYPE_LEVEL_HIGH)],
    ['reg', cells64(base, DEVICE_PAGE)],
    ['compatible', strings(compatible, 'arm,primecell')],
  ]);
}

/** QEMU's gpex node; msi-map names the MSI controller (`msi`: the GICv2m frame's or the ITS's phandle). */
function pcieNode(gic: number, msi: number | undefined): DtNode {
  // Slot s, pin p (1..4) goes to SPI 3 + (s + p - 1) % 4, for the four slots the mask tells apart.
  const map: number[] = [];
  for (let slot = 0; slot < 4; slot++) {
    for (let pin = 1; pin <= 4; pin++) map.push(slot << 11, 0, 0, pin, gic, 0, 0, GIC_SPI, PCIE_FIRST_SPI + ((slot + pin - 1) % 4), IRQ_TYPE_LEVEL_HIGH);
  }
  const hi = (v: number) => Math.floor(v / 4294967296);
  const lo = (v: number) => v % 4294967296;
  return node(`pcie@${PCIE_MMIO_BASE.toString(16)}`, [
    ['interrupt-map-mask', cells(0x1800, 0, 0, 7)],
    ['interrupt-map', cells(...map)],
    ['#interrupt-cells', cells(1)],
    [
      'ranges',
      cells(
        0x0100_0000, 0, 0, 0, PCIE_PIO_BASE, 0, PCIE_PIO_SIZE,
        0x0200_0000, 0, PCIE_MMIO_BASE, 0, PCIE_MMIO_BASE, 0, PCIE_MMIO_SIZE,
        0x0300_0000, hi(PCIE_HIGH_MMIO_BASE), lo(PCIE_HIGH_MMIO_BASE), hi(PCIE_HIGH_MMIO_BASE), lo(PCIE_HIGH_MMIO_BASE), hi(PCIE_HIGH_MMIO_SIZE), lo(PCIE_HIGH_MMIO_SIZE),
      ),
    ],
    ['reg', cells64(PCIE_ECAM_BASE, PCIE_ECAM_SIZE)],
    ...(msi === undefined ? [] : [['msi-map', cells(0, msi, 0, 0x10000)] as const]),
    ['dma-coherent', EMPTY],
    ['bus-range', cells(0, 0xff)],
    ['linux,pci-domain', cells(0)],
    ['#size-cells', cells(2)],
    ['#address-cells', cells(3)],
    ['device_type', strings('pci')],
    ['compatible', strings('pci-host-ecam-generic')],
  ]);
}

function rtcNode(): DtNode {
  return primeCell('pl031', RTC_BASE, RTC_INTID - 32, 'arm,pl031', ['apb_pclk']);
}

function uartNode(): DtNode {
  return primeCell('pl011', UART_BASE, UART_INTID - 32, 'arm,pl011', ['uartclk', 'apb_pclk']);
}

function pmuNode(o: DeviceTreeOptions): DtNode {
  return node('pmu', [
    ['interrupts', cells(GIC_PPI, PMU_INTID - 16, ppiFlags(o))],
    ['compatible', strings('arm,armv8-pmuv3')],
  ]);
}

function gicNode(version: 2 | 3, phandle: number): DtNode {
  const common: Array<readonly [string, Uint8Array]> = [
    ['ranges', EMPTY],
    ['#size-cells', cells(2)],
    ['#address-cells', cells(2)],
    ['interrupt-controller', EMPTY],
    ['#interrupt-cells', cells(3)],
  ];
  if (version === 2) {
    return node(`intc@${GIC_DIST_BASE.toString(16)}`, [
      ['phandle', cells(phandle)],
      ['reg', cells64(GIC_DIST_BASE, GIC_REGION_SIZE, GIC_CPU_BASE, GIC_REGION_SIZE)],
      ['compatible', strings('arm,cortex-a15-gic')],
      ...common,
    ], [v2mNode(phandle + 1)]);
  }
  return node(`intc@${GIC_DIST_BASE.toString(16)}`, [
    // No maintenance interrupt: QEMU writes one only with EL2 (virtualization=on).
    ['phandle', cells(phandle)],
    ['reg', cells64(GIC_DIST_BASE, GIC_REGION_SIZE, GIC_REDIST_BASE, REDISTRIBUTOR_REGION_SIZE)],
    ['#redistributor-regions', cells(1)],
    ['compatible', strings('arm,gic-v3')],
    ...common,
  ], [
    node(`its@${ITS_BASE.toString(16)}`, [
      ['phandle', cells(phandle + 1)],
      ['reg', cells64(ITS_BASE, ITS_SIZE)],
      ['#msi-cells', cells(1)],
      ['msi-controller', EMPTY],
      ['compatible', strings('arm,gic-v3-its')],
    ]),
  ]);
}

function v2mNode(phandle: number): DtNode {
  return node(`v2m@${V2M_BASE.toString(16)}`, [
    ['phandle', cells(phandle)],
    ['reg', cells64(V2M_BASE, V2M_SIZE)],
    ['msi-controller', EMPTY],
    ['compatible', strings('arm,gic-v2m-frame')],
  ]);
}

function cpusNode(n: number): DtNode {
  const ids = Array.from({ length: n }, (_, k) => k);
  const cores = ids.map((k) => node(`core${k}`, [['cpu', cells(cpuPhandle(k, n))]]));
  const cpuMap = node('cpu-map', [], [node('socket0', [], [node('cluster0', [], cores)])]);
  const cpus = ids.map((k) =>
    node(`cpu@${k}`, [
      ['phandle', cells(cpuPhandle(k, n))],
      ['reg', cells(k)],
      // QEMU names the enable method only when there are CPUs to turn on.
      ...(n > 1 ? [['enable-method', strings('psci')] as const] : []),
      ['compatible', strings('arm,cortex-a57')],
      ['device_type', strings('cpu')],
    ]),
  );
  return node('cpus', [['#size-cells', cells(0)], ['#address-cells', cells(1)]], [cpuMap, ...cpus]);
}

function timerNode(o: DeviceTreeOptions): DtNode {
  const ppis = [SECURE_TIMER_INTID, PHYS_TIMER_INTID, VIRT_TIMER_INTID, HYP_TIMER_INTID];
  return node('timer', [
    ['interrupts', cells(...ppis.flatMap((id) => [GIC_PPI, id - 16, ppiFlags(o)]))],
    ['always-on', EMPTY],
    ['compatible', strings('arm,armv8-timer', 'arm,armv7-timer')],
  ]);
}

function clockNode(): DtNode {
  return node('apb-pclk', [
    ['phandle', cells(PHANDLE_CLOCK)],
    ['clock-output-names', strings('clk24mhz')],
    ['clock-frequency', cells(24_000_000)],
    ['#clock-cells', cells(0)],
    ['compatible', strings('fixed-clock')],
  ]);
}

function chosenNode(o: DeviceTreeOptions): DtNode {
  const props: Array<readonly [string, Uint8Array]> = [];
  if (o.initrd !== undefined) {
    // One cell each, as QEMU 7.2 writes them.
    props.push(['linux,initrd-end', cells(o.initrd.end)], ['linux,initrd-start', cells(o.initrd.start)]);
  }
  if (o.bootargs !== undefined) props.push(['bootargs', strings(o.bootargs)]);
  props.push(
    ['stdout-path', strings(`/pl011@${UART_BASE.toString(16)}`)],
    ['rng-seed', o.seed.slice(0, 32)],
    ['kaslr-seed', o.seed.slice(32, 40)],
  );
  return node('chosen', props);
}
