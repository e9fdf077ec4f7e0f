// The virt board with 4 GiB of RAM (salty boot -m 4G): RAM fills the one
// WebAssembly memory but for the CPU slot at its top, the flash banks keep
// their storage outside it (read, programmed and erased through the CFI
// device; no code runs from them), and the device tree says how much RAM
// there is (docs/board.md).

import { describe, expect, it } from 'vitest';
import { CPU_SLOT_BYTES, MAX_MEMORY_BYTES } from '../../board/memory/physical-memory';
import { bootImage, golden } from './boot-harness';

const RAM_4G = 2 ** 32;

describe('the virt board at -m 4G', () => {
  it('gives the device tree 4 GiB of RAM less the CPU slot, and keeps the block compiler', () => {
    const r = bootImage('dtb', { ramSize: RAM_4G });
    const phys = r.board.phys;
    expect(phys.ramSize).toBe(MAX_MEMORY_BYTES - CPU_SLOT_BYTES);
    expect(phys.ramTakenBySlots).toBe(CPU_SLOT_BYTES);
    expect(phys.romInMemory).toBe(false);
    expect(phys.memory.buffer.byteLength).toBe(MAX_MEMORY_BYTES);
    expect(r.board.cpu.jit).toBeDefined();
    const size = (MAX_MEMORY_BYTES - CPU_SLOT_BYTES).toString(16);
    expect(r.stdout).toBe(golden('dtb').replace('reg <0x0 0x40000000 0x0 0x8000000>', `reg <0x0 0x40000000 0x0 0x${size}>`));
  });

  it('keeps the flash banks as devices (CFI query, program, erase as at 128M); code in flash takes an external abort', () => {
    const want = golden('flash');
    const cut = want.indexOf('code in flash returns=');
    expect(cut).toBeGreaterThan(0);
    const r = bootImage('flash', { ramSize: RAM_4G });
    expect(r.stdout.slice(0, cut)).toBe(want.slice(0, cut));
    // Instruction abort from the current EL (EC 0x21), synchronous external abort (FSC 0x10), at bank 1's code.
    expect(r.stdout.slice(cut)).toMatch(/^unexpected exception kind=4\nesr=0x86000010\nelr=0x4008000\n/);
  });

  it('keeps flash in the memory when RAM leaves room for it (3968M): the slot then takes the top 448 KiB of RAM', () => {
    const r = bootImage('flash', { ramSize: 3968 * 2 ** 20 });
    expect(r.stdout).toBe(golden('flash'));
    expect(r.board.phys.romInMemory).toBe(true);
    expect(r.board.phys.ramSize).toBe(3968 * 2 ** 20 - CPU_SLOT_BYTES);
  });
});
