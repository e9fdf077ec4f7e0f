// The decoder's instruction lengths agree with GNU objdump on random
// encodings of every integer row (goldens in decoder-lengths.json; rebuild
// with SALTY_RECORD_LENGTHS=1 on a host with binutils).

import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { X86Cpu } from '../../board/x86_64/cpu';
import { LENGTHS_FILE, loadLengths, recordLengths } from './decoder-lengths';

describe('x86 decoder lengths', () => {
  it('match objdump for random encodings of every integer row', () => {
    if (process.env.SALTY_RECORD_LENGTHS === '1' || !existsSync(LENGTHS_FILE)) {
      writeFileSync(LENGTHS_FILE, JSON.stringify(recordLengths(), null, 0).replace(/,"/g, ',\n"') + '\n');
    }
    const cpu = new X86Cpu(new PhysicalMemory(0, 65536));
    const lengths = loadLengths();
    const entries = Object.entries(lengths);
    expect(entries.length).toBeGreaterThan(1000);
    const wrong: string[] = [];
    for (const [hex, len] of entries) {
      const bytes = Uint8Array.from(Buffer.from(hex + '90'.repeat(16), 'hex'));
      const d = cpu.describe(bytes);
      if (d.name !== undefined && d.length !== len) wrong.push(`${hex}: ours ${d.length} (${d.name}), objdump ${len}`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
