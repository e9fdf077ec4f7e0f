// Runs a small static x86-64 Linux ELF on the bare CPU (no kernel): loads
// its PT_LOAD segments into the test machine's identity-mapped memory, builds
// the initial stack, and answers the few system calls a static musl start-up
// and stdio make. A test aid for the CPU, not the Linux personality.

import { DATA, STACK_TOP, X86TestMachine } from './x86-test-machine';

export interface ElfRun {
  stdout: string;
  status: number;
  retired: number;
}

export function runStaticElf(elf: Buffer, argv: string[], budget = 200_000_000): ElfRun {
  const m = new X86TestMachine();
  for (let va = 0x80_0000; va < 0xc0_0000; va += 0x1000) m.map(va, va);
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phnum = elf.readUInt16LE(0x38);
  for (let k = 0; k < phnum; k++) {
    const ph = phoff + 56 * k;
    if (elf.readUInt32LE(ph) !== 1) continue; // PT_LOAD
    const off = Number(elf.readBigUInt64LE(ph + 8));
    const vaddr = Number(elf.readBigUInt64LE(ph + 16));
    const filesz = Number(elf.readBigUInt64LE(ph + 32));
    const memsz = Number(elf.readBigUInt64LE(ph + 40));
    if (vaddr < 0x10_0000 || vaddr + memsz > 0xc0_0000) throw new Error(`segment at 0x${vaddr.toString(16)} outside the test machine`);
    m.phys.writeBytes(vaddr, elf.subarray(off, off + filesz));
    if (memsz > filesz) m.phys.fill(vaddr + filesz, memsz - filesz);
  }
  // Initial stack: argc, argv, NULL, envp NULL, auxv (AT_PAGESZ, AT_RANDOM, AT_NULL).
  const strings: number[] = [];
  let p = DATA;
  for (const a of argv) {
    m.phys.writeBytes(p, Buffer.from(a + '\0'));
    strings.push(p);
    p += a.length + 1;
  }
  const random = DATA + 0x800;
  const words = [argv.length, ...strings, 0, 0, 6, 4096, 25, random, 0, 0];
  const sp = STACK_TOP - 0x1000;
  words.forEach((w, i) => m.phys.write64(sp + 8 * i, w, 0));
  m.setReg(4, sp);
  m.cpu.rip = Number(elf.readBigUInt64LE(0x18));
  let stdout = '';
  const cpu = m.cpu;
  const r = (n: number): number => Number(m.reg(n));
  for (;;) {
    const t = m.run(budget);
    if (t.kind !== 'syscall') throw new Error(`trap ${t.kind} vector ${t.vector} at 0x${t.insnRip.toString(16)} bytes ${Buffer.from(t.bytes).toString('hex')} (error ${t.errorCode}, cr2 ${t.cr2})`);
    const nr = r(0);
    let ret = 0;
    switch (nr) {
      case 1: // write
        stdout += Buffer.from(m.phys.readBytes(r(6), r(2))).toString('latin1');
        ret = r(2);
        break;
      case 20: { // writev
        for (let k = 0; k < r(2); k++) {
          const base = Number(m.phys.view.getBigUint64(r(6) + 16 * k, true));
          const len = Number(m.phys.view.getBigUint64(r(6) + 16 * k + 8, true));
          stdout += Buffer.from(m.phys.readBytes(base, len)).toString('latin1');
          ret += len;
        }
        break;
      }
      case 60:
      case 231:
        return { stdout, status: r(7) & 0xff, retired: cpu.retired };
      case 158: // arch_prctl(ARCH_SET_FS)
        if (r(7) !== 0x1002) { ret = -22; break; }
        cpu.state.misc[0] = r(6) | 0;
        cpu.state.misc[1] = Math.floor(r(6) / 2 ** 32);
        break;
      case 218: ret = 1; break; // set_tid_address
      case 16: ret = -25; break; // ioctl: ENOTTY
      case 12: case 9: ret = -12; break; // brk, mmap: ENOMEM
      default: ret = -38; // ENOSYS
    }
    m.setReg(0, BigInt(ret));
  }
}
