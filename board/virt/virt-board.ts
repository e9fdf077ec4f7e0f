// The virt machine: RAM, the CPU, PL011, GICv2 or GICv3, generic timer, PL031, PSCI and
// semihosting, wired at QEMU's addresses, and the loop that runs the CPU in
// slices up to the next timer event.

import { PcieHost } from './pcie-host';
import { plugNic } from './pci-devices';
import type { VirtioPciTransport } from './virtio-pci';
import { Cpu, exceptionBudget, StopReason } from '../aarch64/cpu';
import { resetAsQemu } from './cpu-reset';
import { CpuState, STATE_BYTES } from '../aarch64/cpu-state';
import { CodeCache } from '../memory/code-cache';
import { PhysicalMemory } from '../memory/physical-memory';
import { CpuScheduler } from './cpu-scheduler';
import { GenericTimer } from './generic-timer';
import { GicV2 } from './gic-v2';
import { GicV3 } from './gic-v3';
import { BootInfo, KernelImageError, loadKernel } from './kernel-loader';
import { PHYS_TIMER_INTID, RAM_BASE, RTC_BASE, RTC_INTID, DEVICE_PAGE, TIMER_FREQUENCY, UART_BASE, UART_INTID, VIRT_TIMER_INTID, PMU_INTID } from './memory-map';
import { Pl011Uart } from './pl011-uart';
import { Pl031Rtc } from './pl031-rtc';
import { Psci } from './psci';
import { Semihosting } from './semihosting';
import { HostTime, InstructionTime, TimeSource } from './time-source';
import { virtDeviceTree } from './virt-device-tree';
import { attachFlash, attachFwCfg } from './firmware-devices';
import type { CfiFlash } from './cfi-flash';
import { FLASH_BANK_SIZE } from './cfi-flash';
import type { FwCfg } from './fw-cfg';
import type { VirtioDevice } from './virtio-device';
import { VIRTIO_MMIO_BASE, VIRTIO_MMIO_FIRST_SPI, VIRTIO_MMIO_SIZE, type VirtioMmioTransport, virtioMmioSlots } from './virtio-mmio';

export interface BoardConsole {
  write(bytes: Uint8Array): void;
  writeErr(bytes: Uint8Array): void;
  /** A byte of input for semihosting SYS_READC, or -1. */
  readChar(): number;
}

export interface VirtBoardOptions {
  readonly ramSize: number;
  readonly console: BoardConsole;
  readonly semihosting?: boolean;
  /** Count time from the host's clock instead of retired instructions. */
  readonly wallClock?: boolean;
  readonly rtcStartSeconds?: number;
  /** The interrupt controller: GICv2 (QEMU's default on TCG) or GICv3 (-M virt,gic-version=3). */
  readonly gicVersion?: 2 | 3;
  /** 40 bytes for the device tree's rng-seed and kaslr-seed. */
  readonly seed?: Uint8Array;
  /** A TypeScript kernel is EL1: exceptions from EL0 end run() with the 'exception' state instead of vectoring. */
  readonly hosted?: boolean;
  /**
   * The two CFI flash banks at 0 and 64 MiB (default: present unless hosted; a
   * hosted kernel has no firmware, and its RAM may then fill the 4 GiB memory).
   */
  readonly flash?: boolean;
  /** CPUs (-smp N, 1 to 8); the secondaries wait for PSCI CPU_ON. */
  readonly cpus?: number;
  /** virtio devices, plugged into the virtio-mmio slots from the last one down; `legacy` (QEMU's default) is the version 1 register layout. */
  readonly virtio?: { readonly devices: readonly VirtioDevice[]; readonly legacy?: boolean };
  /**
   * virtio-net-pci cards at 00:01.0, 00:02.0, ... (QEMU's -M virt has one unless
   * -nic none; the CLI adds it, the board alone has none). A card without a MAC
   * gets QEMU's default, 52:54:00:12:34:56 plus its index.
   */
  readonly nics?: readonly { readonly mac?: Uint8Array; readonly backend?: 'user' | 'none' }[];
}

export const MAX_CPUS = 8;

/** Why the board stopped running. */
export type BoardState =
  | { kind: 'running' }
  | { kind: 'off' }
  | { kind: 'reset' }
  | { kind: 'cpu-off' }
  | { kind: 'exit'; status: number }
  /** WFI with nothing pending: input, or with host time the next timer event, wakes the CPU. */
  | { kind: 'idle' }
  /** Hosted: the CPU took an exception from EL0 (cpu.lastException says which kind); the kernel handles it and runs the board again. */
  | { kind: 'exception' }
  /** The host's debugger stopped the CPU (cpu.hostDebug.stop says why); running again resumes it. */
  | { kind: 'debug' };

const EXCEPTION: BoardState = { kind: 'exception' };
const DEBUG_STOP: BoardState = { kind: 'debug' };

/** Longest slice between device updates, in instructions. */
const MAX_SLICE = 200_000;

export class VirtBoard {
  readonly phys: PhysicalMemory;
  /** CPU 0, the boot CPU. */
  readonly cpu: Cpu;
  /** Every CPU, in MPIDR order. */
  readonly cpus: readonly Cpu[];
  readonly time: TimeSource;
  /** CPU 0's generic timer. */
  readonly timer: GenericTimer;
  /** Each CPU's generic timer. */
  readonly timers: readonly GenericTimer[];
  /**
   * With more than one CPU, every CPU's register file (STATE_BYTES each, in
   * CPU order) lives in this one shared buffer, so that a later step can hand
   * each CPU to a worker thread.
   */
  readonly cpuStateBuffer: SharedArrayBuffer | undefined;
  /** With more than one CPU: who runs when (cpu-scheduler.ts). */
  readonly scheduler: CpuScheduler | undefined;
  readonly gic: GicV2 | GicV3;
  readonly uart: Pl011Uart;
  readonly rtc: Pl031Rtc;
  /** The two CFI flash banks at 0 and 0x0400_0000 (none when options.flash is false). */
  readonly flash: readonly CfiFlash[];
  readonly fwCfg: FwCfg;
  /** The PCIe host bridge: bus 0's functions (pcie-host.ts). */
  readonly pcie: PcieHost;
  /** The NICs' virtio-pci transports. */
  readonly nics: readonly VirtioPciTransport[];
  /** The 32 virtio-mmio transports, slot 0 at 0x0a000000. */
  readonly virtioSlots: VirtioMmioTransport[];
  state: BoardState = { kind: 'running' };
  boot: BootInfo | undefined;
  /** Host input not yet taken by the UART's FIFO. */
  private readonly input: number[] = [];

  constructor(readonly options: VirtBoardOptions) {
    const flash = options.flash ?? !options.hosted;
    this.phys = new PhysicalMemory(RAM_BASE, options.ramSize, flash ? 2 * FLASH_BANK_SIZE : 0, options.cpus ?? 1);
    const n = options.cpus ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_CPUS) throw new Error(`the virt board takes 1 to ${MAX_CPUS} CPUs, not ${n}`);
    if (n > 1 && options.hosted) throw new Error('a hosted kernel runs on one CPU');
    const cpus: Cpu[] = [];
    let scheduler: CpuScheduler | undefined;
    this.time = options.wallClock ? new HostTime(TIMER_FREQUENCY) : new InstructionTime(n === 1 ? () => cpus[0].retired : () => scheduler!.retired());
    this.timers = Array.from({ length: n }, () => new GenericTimer(this.time));
    this.timer = this.timers[0];
    this.cpuStateBuffer = n > 1 ? new SharedArrayBuffer(STATE_BYTES * n) : undefined;
    for (let k = 0; k < n; k++) {
      const state = this.cpuStateBuffer ? new CpuState(this.cpuStateBuffer, k * STATE_BYTES) : undefined;
      const cpu = new Cpu(this.phys, { timer: this.timers[k], hosted: options.hosted, state });
      // QEMU's system-mode reset leaves CPACR_EL1 at 0: FP/AdvSIMD traps until the image enables it.
      cpu.setCpacr(0);
      if (!options.hosted) resetAsQemu(cpu);
      // QEMU's virt: Aff0 = the CPU's index (clusters of 8 with GICv2, 16 with GICv3; at most 8 CPUs here).
      cpu.mpidr = (0x80000000 | k) >>> 0;
      cpu.innerShareable = cpus;
      cpus.push(cpu);
    }
    this.cpus = cpus;
    this.cpu = cpus[0];
    if (n > 1) {
      CodeCache.shareWith(cpus.map((c) => c.code));
      scheduler = new CpuScheduler(cpus, {
        updateDevices: () => this.updateDevices(),
        nextDeadline: () => this.nextDeadline(),
        now: () => this.time.now(),
        skipTo: (ticks) => {
          if (!this.time.deterministic) return false;
          this.time.skipTo(ticks);
          return true;
        },
        halted: () => this.state.kind !== 'running',
      });
    }
    this.scheduler = scheduler;
    if (options.gicVersion === 3) {
      const gic = new GicV3(cpus);
      cpus.forEach((c, k) => (c.gicSystemRegisters = gic.cpuInterfaces[k]));
      this.gic = gic;
    } else {
      this.gic = new GicV2(cpus, () => scheduler?.current ?? 0);
    }
    this.gic.attach(this.phys);
    if (scheduler !== undefined) this.gic.onRaise = (k) => scheduler!.wake(k);
    this.uart = new Pl011Uart((b) => options.console.write(Uint8Array.of(b)));
    this.rtc = new Pl031Rtc(this.time, TIMER_FREQUENCY, options.rtcStartSeconds ?? Math.floor(Date.now() / 1000));
    this.phys.addDevice(UART_BASE, DEVICE_PAGE, this.uart);
    this.phys.addDevice(RTC_BASE, DEVICE_PAGE, this.rtc);
    this.pcie = new PcieHost((spi, l) => this.gic.setLevel(32 + spi, l));
    this.pcie.attach(this.phys);
    this.nics = (options.nics ?? []).map((n, k) => plugNic(this.phys, this.pcie, k, n.mac, n.backend));
    this.flash = flash ? attachFlash(this.phys) : [];
    this.fwCfg = attachFwCfg(this.phys, n);
    this.virtioSlots = virtioMmioSlots(this.phys, options.virtio?.devices ?? [], options.virtio?.legacy ?? true);
    this.virtioSlots.forEach((t, i) => {
      this.phys.addDevice(VIRTIO_MMIO_BASE + i * VIRTIO_MMIO_SIZE, VIRTIO_MMIO_SIZE, t);
      t.irq = (l) => this.gic.setLevel(32 + VIRTIO_MMIO_FIRST_SPI + i, l);
    });
    this.uart.irq = (l) => this.gic.setLevel(UART_INTID, l);
    this.rtc.irq = (l) => this.gic.setLevel(RTC_INTID, l);
    const psci = new Psci({
      systemOff: () => this.halt({ kind: 'off' }),
      systemReset: () => this.halt({ kind: 'reset' }),
      cpuOff: (cpu) => (scheduler ? scheduler.cpuOff(cpu) : this.halt({ kind: 'cpu-off' })),
      waitForInterrupt: (cpu) => {
        if (!cpu.irqLine) cpu.stop = StopReason.WaitForInterrupt;
      },
      cpus: scheduler,
    });
    cpus.forEach((cpu, k) => {
      const t = this.timers[k];
      t.physical.irq = (l) => this.gic.setPrivateLevel(k, PHYS_TIMER_INTID, l);
      t.virtual.irq = (l) => this.gic.setPrivateLevel(k, VIRT_TIMER_INTID, l);
      cpu.pmu.onInterrupt = (l) => this.gic.setPrivateLevel(k, PMU_INTID, l);
      cpu.hypervisorCall = psci.call;
    });
    if (options.semihosting) {
      const call = this.semihosting().call;
      for (const cpu of cpus) cpu.semihostingCall = call;
    }
  }

  /** Loads a kernel (ELF or raw arm64 Image) and sets the CPU at its entry, as after reset. */
  load(bytes: Uint8Array, o: { fileName: string; initrd?: Uint8Array; append?: string }): BootInfo {
    const seed = this.options.seed ?? crypto.getRandomValues(new Uint8Array(40));
    const boot = loadKernel(this.phys, bytes, {
      fileName: o.fileName,
      initrd: o.initrd,
      deviceTree: (initrd) => virtDeviceTree({ ramSize: this.phys.ramSize, gicVersion: this.options.gicVersion ?? 2, cpus: this.cpus.length, bootargs: o.append, initrd, seed }),
    });
    this.cpu.pc = boot.entry;
    this.cpu.x[0] = boot.x0 | 0;
    this.cpu.x[1] = Math.floor(boot.x0 / 4294967296) | 0;
    this.boot = boot;
    return boot;
  }

  /**
   * Boots firmware as QEMU's -bios does: the image at the start of flash bank 0,
   * the device tree at the start of RAM, the CPU at address 0 (EL1, MMU off);
   * a kernel, initrd and command line wait in fw_cfg.
   */
  loadFirmware(bytes: Uint8Array, o: { fileName: string; kernel?: Uint8Array; initrd?: Uint8Array; append?: string }): BootInfo {
    if (this.flash.length === 0 || !this.phys.romInMemory) throw new KernelImageError(`${o.fileName}: firmware runs from flash, which this board has ${this.flash.length === 0 ? 'not' : 'outside its memory (RAM fills it)'}`);
    if (!this.flash[0].loadImage(bytes)) throw new KernelImageError(`${o.fileName}: ${bytes.length} bytes do not fit in the ${FLASH_BANK_SIZE}-byte flash bank`);
    // A kernel beside firmware is the firmware's to load, through fw_cfg.
    if (o.kernel !== undefined) this.fwCfg.setKernel(o.kernel, o.initrd, o.append);
    const seed = this.options.seed ?? crypto.getRandomValues(new Uint8Array(40));
    this.phys.writeBytes(RAM_BASE, virtDeviceTree({ ramSize: this.phys.ramSize, gicVersion: this.options.gicVersion ?? 2, seed }));
    const boot: BootInfo = { entry: 0, x0: 0, dtbAddress: RAM_BASE };
    this.cpu.pc = 0;
    this.boot = boot;
    return boot;
  }

  /** Host input for the UART (taken as its FIFO has room). */
  pushInput(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.input.push(bytes[i]);
    this.feedUart();
  }

  /**
   * Runs up to `budget` instructions, in slices that end at the next timer
   * event; WFI skips ahead to that event (deterministic time). Returns the state.
   */
  run(budget: number): BoardState {
    if (this.scheduler !== undefined) return this.runCpus(this.scheduler, budget);
    const cpu = this.cpu;
    const end = cpu.retired + budget;
    const exceptionEnd = cpu.exceptionsTaken + exceptionBudget(budget);
    while (this.state.kind === 'running' && cpu.retired < end && cpu.exceptionsTaken < exceptionEnd) {
      this.updateDevices();
      const deadline = this.nextDeadline();
      const slice = Math.max(1, Math.min(MAX_SLICE, end - cpu.retired, deadline - this.time.now()));
      const why = cpu.run(slice);
      if (this.state.kind !== 'running') break;
      if (why === StopReason.Exception) {
        this.updateDevices();
        return EXCEPTION;
      }
      if (why === StopReason.Debug) {
        this.updateDevices();
        return DEBUG_STOP;
      }
      if (why === StopReason.WaitForInterrupt && !this.waitForInterrupt()) {
        this.state = { kind: 'idle' };
        break;
      }
    }
    this.updateDevices();
    return this.state;
  }

  /** The loop of a board with several CPUs: the scheduler takes them in turn. */
  private runCpus(scheduler: CpuScheduler, budget: number): BoardState {
    const why = scheduler.run(budget);
    if (this.state.kind === 'running') {
      if (why === 'debug') return DEBUG_STOP;
      if (why === 'idle') this.state = { kind: 'idle' };
      else if (why === 'all-off') this.state = { kind: 'cpu-off' };
    }
    this.updateDevices();
    return this.state;
  }

  /** The earliest count at which a timer of any CPU or the RTC raises its interrupt. */
  private nextDeadline(): number {
    let next = this.rtc.nextDeadline();
    for (const t of this.timers) next = Math.min(next, t.nextDeadline());
    return next;
  }

  /**
   * Makes a waiting CPU resume: true when an interrupt is pending or time
   * jumped to the next event (deterministic time); false when nothing will
   * raise one, or host time has to pass first. A hosted kernel's idle loop calls it.
   */
  waitForInterrupt(): boolean {
    this.updateDevices();
    if (this.cpu.irqLine || this.cpu.fiqLine) return true;
    const next = this.nextDeadline();
    // With host time the CLI sleeps until the event (ticksToNextEvent) and calls resume().
    if (next === Infinity || !this.time.deterministic) return false;
    this.time.skipTo(next);
    this.updateDevices();
    return true;
  }

  /** Leaves the idle state after input arrived (the CLI calls this). */
  resume(): void {
    if (this.state.kind === 'idle') this.state = { kind: 'running' };
  }

  /** Ticks until the next timer event (Infinity when none is armed): how long an idle host may sleep. */
  ticksToNextEvent(): number {
    return this.nextDeadline() - this.time.now();
  }

  private updateDevices(): void {
    for (const t of this.timers) t.update();
    this.rtc.update();
    this.feedUart();
  }

  private feedUart(): void {
    if (this.input.length === 0) return;
    const taken = this.uart.receive(this.input.slice(0, this.uart.receiveRoom));
    this.input.splice(0, taken);
  }

  private halt(state: BoardState): void {
    this.state = state;
    for (const cpu of this.cpus) cpu.stop = StopReason.Halt;
  }

  private semihosting(): Semihosting {
    const c = this.options.console;
    return new Semihosting({
      writeOut: (b) => c.write(b),
      writeErr: (b) => c.writeErr(b),
      readChar: () => c.readChar(),
      exit: (status) => this.halt({ kind: 'exit', status }),
      centiseconds: () => Math.floor(this.time.now() / (TIMER_FREQUENCY / 100)),
      ticks: () => this.time.now(),
      tickFrequency: TIMER_FREQUENCY,
    });
  }
}
